// The engine's figures for one topology, computed on first use and kept as long as its analysed
// topology (until one of its files changes): what hovers, inlay hints, code lenses and completion
// show. Requests that run on every keystroke read from here, so a big file is analysed once per
// change, never once per request.

import type { LangiumDocument } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import { serviceAvailability, type ServiceAvailability } from '../analysis/availability.js';
import { deriveFlows, type Flow } from '../analysis/flows.js';
import { headerBudget, type HeaderBudget } from '../analysis/headers.js';
import { quorumTable, type FailureOutcome } from '../analysis/quorum.js';
import { contains, Reachability } from '../analysis/reachability.js';
import { rolesByHost, type Role } from '../analysis/roles.js';
import { tokenSize, type TokenSize } from '../analysis/tokens.js';
import type { AnalysedTopology, HatopoModelCache } from '../hatopo-model-cache.js';
import type { Endpoint, Galera, Host, Link, Service, Token } from '../model/model.js';

export interface LinkFlows {
    flows: Flow[];
    blocked: number;
}

export class TopologyFigures {
    private rolesMemo?: Map<Host, Role[]>;
    private flowsMemo?: Flow[];
    private reachabilityMemo?: Reachability;
    private readonly tokenSizes = new Map<string, TokenSize>();
    private readonly budgets = new Map<Service, HeaderBudget | undefined>();
    private readonly availabilities = new Map<Service, ServiceAvailability>();
    private readonly quorums = new Map<Galera, FailureOutcome[]>();
    private readonly links = new Map<Link, LinkFlows>();

    constructor(readonly topology: AnalysedTopology) {}

    get model() {
        return this.topology.model;
    }

    roles(host: Host): Role[] {
        this.rolesMemo ??= rolesByHost(this.model);
        return this.rolesMemo.get(host) ?? [];
    }

    get flows(): Flow[] {
        return (this.flowsMemo ??= deriveFlows(this.model));
    }

    get reachability(): Reachability {
        return (this.reachabilityMemo ??= new Reachability(this.model));
    }

    budget(service: Service): HeaderBudget | undefined {
        if (!this.budgets.has(service)) this.budgets.set(service, headerBudget(service, this.model, this.tokenSizes));
        return this.budgets.get(service);
    }

    /** The size of a token as written (the key is headerBudget's, so both share one computation). */
    tokenSize(token: Token): TokenSize {
        const key = `${token.format}:${token.nocatalog}`;
        let size = this.tokenSizes.get(key);
        if (!size) this.tokenSizes.set(key, (size = tokenSize(token.format, this.model, token.nocatalog)));
        return size;
    }

    availability(service: Service): ServiceAvailability {
        let figures = this.availabilities.get(service);
        if (!figures) this.availabilities.set(service, (figures = serviceAvailability(service, this.model)));
        return figures;
    }

    quorum(cluster: Galera): FailureOutcome[] {
        let table = this.quorums.get(cluster);
        if (!table) this.quorums.set(cluster, (table = quorumTable(cluster)));
        return table;
    }

    /** The flows the topology needs that cross a link (in either direction it carries), and how many are dropped. */
    linkFlows(link: Link): LinkFlows {
        if (this.links.size === 0) this.indexLinkFlows();
        return this.links.get(link) ?? { flows: [], blocked: 0 };
    }

    /** Every link's flows in one pass over the flows: each flow looks up the links named by its source's places. */
    private indexLinkFlows(): void {
        const leaving = new Map<Endpoint, Link[]>();
        const add = (place: Endpoint, link: Link) => leaving.set(place, [...(leaving.get(place) ?? []), link]);
        for (const link of this.model.links) {
            this.links.set(link, { flows: [], blocked: 0 });
            add(link.from, link);
            if (link.bidirectional && link.to !== link.from) add(link.to, link);
        }
        const network = this.reachability;
        for (const flow of this.flows) {
            const crossed = new Set<Link>();
            for (const place of [flow.from, flow.from.zone, flow.from.region]) {
                for (const link of (place && leaving.get(place)) ?? []) {
                    const other = link.from === place ? link.to : link.from;
                    if (contains(other, flow.to)) crossed.add(link);
                }
            }
            if (crossed.size === 0) continue;
            const blocked = network.modelled && !network.decide(flow.from, flow.to, flow.protocol, flow.port).allowed;
            for (const link of crossed) {
                const entry = this.links.get(link)!;
                entry.flows.push(flow);
                if (blocked) entry.blocked++;
            }
        }
    }
}

export class HatopoFigureCache {
    /** Figures live as long as the analysed topology they describe (the model cache decides that). */
    private readonly cache = new WeakMap<AnalysedTopology, TopologyFigures>();

    constructor(
        _shared: LangiumSharedServices,
        private readonly models: HatopoModelCache
    ) {}

    get(document: LangiumDocument): TopologyFigures {
        const topology = this.models.get(document);
        let figures = this.cache.get(topology);
        if (!figures) this.cache.set(topology, (figures = new TopologyFigures(topology)));
        return figures;
    }
}
