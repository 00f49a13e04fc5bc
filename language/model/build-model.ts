// AST → model: resolves references, applies the documented defaults (DOMAIN.md) and normalises
// units. Takes every document of one topology (a file and the files it imports).

import { AstUtils, GrammarUtils, type AstNode, type LangiumDocument, type Reference } from 'langium';
import * as ast from '../generated/ast.js';
import { parseIpv4, parseSubnet, subnetContains, type Subnet } from './addresses.js';
import {
    cnfValueProblem,
    filePathProblem,
    httpCheckProblem,
    providerValueProblem,
    rabbitValueProblem
} from './config-values.js';
import { firstNodeForProperty } from '../cst-properties.js';
import { readQuantity, type QuantityKind } from './quantities.js';
import { DEFAULTS } from './defaults.js';
import { hopKind, hopSetting, type HopUnit } from './hops.js';
import { nearestNames, orList } from './nearest.js';
import type * as m from './model.js';

export function buildModel(documents: readonly LangiumDocument[]): m.TopologyModel {
    return new ModelBuilder().build(documents).model;
}

/**
 * The model and its trace back to the AST: which model element each AST node became. Hovers, code
 * actions and the editor find elements through the trace, never by name or line.
 */
export interface TracedModel {
    model: m.TopologyModel;
    elementOf(node: AstNode): m.ModelElement | undefined;
    /** The AST node an element was built from (in whichever file defines it). */
    nodeOf(element: m.ModelElement): AstNode | undefined;
}

export function buildTracedModel(documents: readonly LangiumDocument[]): TracedModel {
    return new ModelBuilder().build(documents);
}

class ModelBuilder {
    private readonly built = new Map<AstNode, m.ModelElement>();
    private readonly problemNodes = new Map<m.ModelProblem, AstNode>();
    private readonly model: m.TopologyModel = {
        targets: {},
        regions: [],
        zones: [],
        hosts: [],
        galeras: [],
        rabbitmqs: [],
        memcacheds: [],
        vips: [],
        haproxies: [],
        services: [],
        hsms: [],
        links: [],
        firewalls: [],
        dnsNames: [],
        pacemakers: [],
        management: [],
        problems: [],
        elements: new Map()
    };

    build(documents: readonly LangiumDocument[]): TracedModel {
        const roots = documents.map(doc => doc.parseResult.value).filter(ast.isDocument);
        // Places first: everything else refers to hosts.
        for (const root of roots) {
            if (root.topology && this.model.name === undefined) this.topology(root.topology);
            for (const element of root.elements) if (ast.isRegion(element)) this.region(element);
        }
        for (const root of roots) {
            for (const element of root.elements) {
                if (ast.isGalera(element)) this.model.galeras.push(this.galera(element));
                else if (ast.isRabbitMQ(element)) this.model.rabbitmqs.push(this.rabbitmq(element));
                else if (ast.isMemcached(element)) this.model.memcacheds.push(this.memcached(element));
                else if (ast.isVip(element)) this.model.vips.push(this.vip(element));
                else if (ast.isHsmGroup(element)) this.model.hsms.push(this.hsm(element));
                // A Pacemaker cluster's VIPs are VIPs like the others: services bind them.
                else if (ast.isPacemaker(element)) for (const vip of element.vips) this.model.vips.push(this.vip(vip));
            }
        }
        // These refer to VIPs, clusters and pools built above.
        for (const root of roots) {
            for (const element of root.elements) {
                if (ast.isHAProxy(element)) this.model.haproxies.push(this.haproxy(element));
                else if (ast.isService(element)) this.model.services.push(this.service(element));
                else if (ast.isLink(element)) this.pushIfResolved(this.model.links, this.link(element));
                else if (ast.isFirewall(element)) this.pushIfResolved(this.model.firewalls, this.firewall(element));
                else if (ast.isManagement(element))
                    this.pushIfResolved(this.model.management, this.management(element));
            }
        }
        // A management zone is a place administrators come from without saying so.
        for (const zone of this.model.zones)
            if (zone.trust === 'management')
                this.model.management.push({
                    from: zone,
                    ports: DEFAULTS.managementPorts.map(port => ({ first: port, last: port })),
                    implied: true,
                    source: zone.nameSource
                });
        // These refer to services, load balancers and VIPs.
        for (const root of roots) {
            for (const element of root.elements) {
                if (ast.isPacemaker(element)) this.model.pacemakers.push(this.pacemaker(element));
                else if (ast.isDns(element)) this.model.dnsNames.push(this.dns(element));
            }
        }
        // An environment changes the design built above; only the first one counts.
        const environments = roots.flatMap(root => root.elements.filter(ast.isEnvironment));
        if (environments[0]) this.environment(environments[0]);
        for (const extra of environments.slice(1))
            this.problem(extra, 'name', `a topology has one environment; '${environments[0].name}' is already one`);
        this.indexById();
        this.markCutShort(documents);
        this.attachProblems();
        const built = this.built;
        const nodes = new Map([...built].map(([node, element]) => [element, node]));
        return { model: this.model, elementOf: node => built.get(node), nodeOf: element => nodes.get(element) };
    }

    private topology(node: ast.Topology): void {
        this.model.topology = this.register(node, this.element(node, 'topology'));
        this.model.name = node.name;
        this.model.description = node.description && unquote(node.description);
        for (const target of node.targets) {
            if (target.kind === 'availability') {
                this.model.targets.availability = this.quantity(target, 'value', target.value, 'percent');
            } else {
                this.model.targets.throughputPerSecond = this.quantity(target, 'value', target.value, 'rate');
            }
            this.model.targets.source = rangeOf(target);
        }
    }

    private region(node: ast.Region): void {
        const region: m.Region = {
            ...this.element(node, 'region'),
            kind: 'region',
            description: node.description && unquote(node.description),
            subnet: node.subnet ? this.subnet(node, node.subnet) : undefined,
            zones: [],
            hosts: []
        };
        this.register(node, region);
        this.model.regions.push(region);
        for (const zoneNode of node.zones) {
            const zone: m.Zone = {
                ...this.element(zoneNode, 'zone'),
                kind: 'zone',
                region,
                subnet: this.subnet(zoneNode, zoneNode.subnet),
                trust: (zoneNode.trust ?? DEFAULTS.trust) as m.Trust,
                hosts: []
            };
            this.register(zoneNode, zone);
            region.zones.push(zone);
            this.model.zones.push(zone);
        }
        for (const zoneNode of node.zones)
            for (const hostNode of zoneNode.hosts) this.host(hostNode, region, this.built.get(zoneNode) as m.Zone);
        for (const hostNode of node.hosts) this.host(hostNode, region, undefined);
    }

    private host(node: ast.Host, region: m.Region, enclosingZone: m.Zone | undefined): void {
        const zone = enclosingZone ?? this.resolve<m.Zone>(node.zone);
        const addressValue = parseIpv4(node.address);
        if (addressValue === undefined && node.address !== undefined)
            this.problem(node, 'address', `'${node.address}' is not an IPv4 address`);
        // The name becomes a hostname (wsrep_node_name, rabbit@NAME, router_id) and a folder name.
        if (typeof node.name === 'string' && node.name.length > 63)
            this.problem(
                node,
                'name',
                `host name '${node.name.slice(0, 20)}…' has ${node.name.length} characters: a hostname is at most 63`
            );
        const host: m.Host = {
            ...this.element(node, 'host'),
            kind: 'host',
            // A host typed without its address yet: the parser reports it; the model keeps ''.
            address: node.address ?? '',
            addressValue,
            region,
            zone,
            availability: node.availability
                ? this.quantity(node, 'availability', node.availability, 'percent')
                : undefined,
            interface: this.interfaceName(node, node.interface) ?? DEFAULTS.interface
        };
        this.register(node, host);
        region.hosts.push(host);
        zone?.hosts.push(host);
        this.model.hosts.push(host);
    }

    private galera(node: ast.Galera): m.Galera {
        const member = (memberNode: ast.GaleraMember): m.GaleraMember | undefined => {
            const host = this.resolve<m.Host>(memberNode.host);
            this.inRange(memberNode, 'weight', memberNode.weight, 0, 255, 'pc.weight');
            this.inRange(memberNode, 'segment', memberNode.segment, 0, 255, 'gmcast.segment');
            return (
                host && {
                    host,
                    weight: memberNode.weight ?? DEFAULTS.galeraWeight,
                    segment: memberNode.segment,
                    source: rangeOf(memberNode)
                }
            );
        };
        return this.register(node, {
            ...this.element(node, 'galera'),
            kind: 'galera',
            members: node.members.map(member).filter(isDefined),
            arbitrators: node.arbitrators.map(member).filter(isDefined),
            sst: node.sst ?? DEFAULTS.sst,
            segmentByRegion: node.segmentByRegion,
            options: this.galeraOptions(node.options)
        });
    }

    /** Server variables go into galera.cnf lines, dotted names into wsrep_provider_options. */
    private galeraOptions(nodes: readonly ast.Option[]): Map<string, string> {
        for (const option of nodes) {
            const value = unquote(String(option.value));
            if (option.name === 'pc.weight' || option.name === 'gmcast.segment') {
                const where = option.name === 'pc.weight' ? 'weight' : 'segment';
                this.problem(
                    option,
                    'name',
                    `option ${option.name} is set per member: write \`members HOST ${where} N\` (the quorum rules read it there)`
                );
            } else if (option.name === 'wsrep_provider_options') {
                for (const part of value
                    .split(';')
                    .map(text => text.trim())
                    .filter(Boolean)) {
                    const [name, ...rest] = part.split('=');
                    const problem =
                        /^[a-z_]+(\.[a-z_]+)+$/.test(name.trim()) && rest.length > 0
                            ? providerValueProblem(name.trim(), rest.join('=').trim())
                            : `wsrep_provider_options part "${part.slice(0, 40)}" is not name=value with a dotted provider option name`;
                    if (problem) this.problem(option, 'value', problem);
                    else if (['pc.weight', 'gmcast.segment'].includes(name.trim()))
                        this.problem(
                            option,
                            'value',
                            `${name.trim()} is set per member, not in wsrep_provider_options`
                        );
                }
            } else {
                const problem = option.name.includes('.')
                    ? providerValueProblem(option.name, value)
                    : cnfValueProblem(option.name, value);
                if (problem) this.problem(option, 'value', problem);
            }
        }
        return options(nodes);
    }

    private rabbitmq(node: ast.RabbitMQ): m.RabbitMQ {
        if (node.partitionHandling && !['ignore', 'pause_minority', 'autoheal'].includes(node.partitionHandling))
            this.problem(
                node,
                'partitionHandling',
                `partition_handling '${node.partitionHandling}' is not one of ignore, pause_minority, autoheal`
            );
        for (const option of node.options) {
            if (/^(policy|ha)[.-]|^ha_/.test(option.name)) {
                this.problem(
                    option,
                    'name',
                    `option ${option.name} is no rabbitmq.conf key: mirroring is a policy, classic mirrored queues are gone in RabbitMQ 4.0; write \`queues quorum\``
                );
                continue;
            }
            const problem = rabbitValueProblem(option.name, unquote(String(option.value)));
            if (problem) this.problem(option, 'value', problem);
        }
        return this.register(node, {
            ...this.element(node, 'rabbitmq'),
            kind: 'rabbitmq',
            members: this.resolveAll<m.Host>(node.members),
            partitionHandling: node.partitionHandling,
            queueType: (node.queueType as m.RabbitMQ['queueType'] | undefined) ?? DEFAULTS.queueType,
            options: options(node.options.filter(option => !/^(policy|ha)[.-]|^ha_/.test(option.name)))
        });
    }

    private memcached(node: ast.Memcached): m.Memcached {
        this.port(node, 'port', node.port);
        return this.register(node, {
            ...this.element(node, 'memcached'),
            kind: 'memcached',
            servers: this.resolveAll<m.Host>(node.servers),
            port: node.port ?? DEFAULTS.memcachedPort,
            memoryBytes: node.memory ? this.quantity(node, 'memory', node.memory, 'size') : undefined,
            threads: node.threads,
            ttlSeconds: node.ttl ? this.quantity(node, 'ttl', node.ttl, 'duration') : undefined,
            sasl: node.sasl,
            tls: node.tls
        });
    }

    private vip(node: ast.Vip): m.Vip {
        const addressValue = parseIpv4(node.address);
        if (addressValue === undefined && node.address !== undefined)
            this.problem(node, 'address', `'${node.address}' is not an IPv4 address`);
        const members: m.VipMember[] = [];
        for (const memberNode of node.members) {
            const host = this.resolve<m.Host>(memberNode.host);
            // 255 is the address owner and 0 stops the instance: normal members use 1–254 [KA-MAN].
            if (typeof memberNode.priority === 'number' && (memberNode.priority < 1 || memberNode.priority > 254))
                this.problem(
                    memberNode,
                    'priority',
                    `vip '${node.name}': ${memberNode.host?.$refText ?? 'a member'} has priority ${memberNode.priority}, outside 1–254 (255 is reserved for the address owner, 0 stops)`,
                    { host: memberNode.host?.$refText, priority: memberNode.priority }
                );
            // A member cut short while typing has no priority yet: leave it out rather than guess.
            if (host && typeof memberNode.priority === 'number')
                members.push({
                    host,
                    state: memberNode.state,
                    priority: memberNode.priority,
                    source: rangeOf(memberNode)
                });
        }
        this.inRange(node, 'vrid', node.vrid, 1, 255, 'virtual_router_id');
        if (node.preempt && node.nopreempt)
            this.problem(node, 'preempt', `vip '${node.name}' says both preempt and nopreempt`);
        const written = this.interfaceName(node, node.interface);
        return this.register(node, {
            ...this.element(node, 'vip'),
            kind: 'vip',
            address: node.address ?? '',
            addressValue,
            vrid: node.vrid ?? NaN,
            interface: written ?? members[0]?.host.interface ?? DEFAULTS.interface,
            interfaceWritten: written !== undefined,
            advertSeconds: node.advert
                ? this.quantity(node, 'advert', node.advert, 'duration')
                : DEFAULTS.advertSeconds,
            unicast: node.unicast,
            nopreempt: !node.preempt,
            members,
            standby: node.standby
        });
    }

    private haproxy(node: ast.HAProxy): m.HAProxy {
        const backends = node.backends.map(backendNode => {
            const servers = backendNode.servers.flatMap(server => {
                this.port(server, 'port', server.port);
                const host = this.resolve<m.Host>(server.host);
                return host ? [{ host, port: server.port, backup: server.backup, source: rangeOf(server) }] : [];
            });
            const mode = backendNode.mode ?? 'http';
            return this.register(backendNode, {
                ...this.element(backendNode, 'backend'),
                kind: 'backend',
                mode,
                check: this.healthCheck(backendNode, mode, servers),
                servers
            } satisfies m.Backend);
        });
        const frontends: m.Frontend[] = [];
        for (const frontendNode of node.frontends) {
            const vip = this.resolve<m.Vip>(frontendNode.vip);
            const backend = this.resolve<m.Backend>(frontendNode.backend);
            this.port(frontendNode, 'port', frontendNode.port);
            const certificate = frontendNode.certificate && unquote(frontendNode.certificate);
            const certificateProblem = certificate === undefined ? undefined : filePathProblem(certificate);
            if (certificateProblem) this.problem(frontendNode, 'certificate', certificateProblem);
            if (vip && backend) {
                frontends.push(
                    this.register(frontendNode, {
                        ...this.element(frontendNode, 'frontend'),
                        kind: 'frontend',
                        vip,
                        port: frontendNode.port,
                        backend,
                        ...(frontendNode.tls
                            ? { tls: { certificate: certificate ?? `${DEFAULTS.certificateDir}/${vip.name}.pem` } }
                            : {})
                    })
                );
            }
        }
        const timeouts = new Map<string, number>();
        for (const timeout of node.timeouts)
            timeouts.set(timeout.kind, this.quantity(timeout, 'value', timeout.value, 'duration'));
        const haproxy = this.register(node, {
            ...this.element(node, 'haproxy'),
            kind: 'haproxy',
            nodes: this.resolveAll<m.Host>(node.nodes),
            bufsize:
                node.bufsize !== undefined ? this.quantity(node, 'bufsize', node.bufsize, 'size') : DEFAULTS.bufsize,
            maxrewrite:
                node.maxrewrite !== undefined
                    ? this.quantity(node, 'maxrewrite', node.maxrewrite, 'size')
                    : DEFAULTS.maxrewrite,
            timeouts,
            frontends,
            backends,
            standby: node.standby
        });
        for (const part of [...frontends, ...backends]) {
            part.owner = haproxy;
            part.id = `${part.kind}:${haproxy.name}/${part.name}`;
        }
        return haproxy;
    }

    /** The written check, else clustercheck for a backend of Galera nodes, an HTTP GET for http, a connect. */
    private healthCheck(node: ast.Backend, mode: 'http' | 'tcp', servers: m.BackendServer[]): m.HealthCheck {
        const written = node.check && unquote(node.check);
        if (written === 'galera') return { kind: 'galera', port: DEFAULTS.clustercheckPort };
        if (written === 'mysql' || written === 'tcp') return { kind: written };
        if (written !== undefined) {
            const problem = httpCheckProblem(written);
            if (problem) this.problem(node, 'check', problem);
            const [method, path] = written.includes(' ') ? written.split(' ') : ['GET', written];
            return { kind: 'http', method, path };
        }
        if (mode === 'http') return { kind: 'http', method: 'GET', path: '/' };
        const galeraNodes = new Set(this.model.galeras.flatMap(cluster => cluster.members.map(member => member.host)));
        const allGalera = servers.length > 0 && servers.every(server => galeraNodes.has(server.host));
        return allGalera ? { kind: 'galera', port: DEFAULTS.clustercheckPort } : { kind: 'tcp' };
    }

    private service(node: ast.Service): m.Service {
        const tokenNode = node.token;
        // A token whose format is not one of the grammar's (cut short while typing) is left out.
        const token: m.Token | undefined =
            tokenNode && TOKEN_FORMATS.has(tokenNode.format)
                ? {
                      format: tokenNode.format as m.TokenFormat,
                      expirationSeconds: tokenNode.expiration
                          ? this.quantity(tokenNode, 'expiration', tokenNode.expiration, 'duration')
                          : DEFAULTS.tokenExpiration,
                      rotationSeconds: tokenNode.rotation
                          ? this.quantity(tokenNode, 'rotation', tokenNode.rotation, 'duration')
                          : undefined,
                      allowExpiredWindowSeconds: tokenNode.allowExpiredWindow
                          ? this.quantity(tokenNode, 'allowExpiredWindow', tokenNode.allowExpiredWindow, 'duration')
                          : DEFAULTS.allowExpiredWindow,
                      maxActiveKeys: tokenNode.maxActiveKeys ?? DEFAULTS.maxActiveKeys,
                      nocatalog: tokenNode.nocatalog,
                      source: rangeOf(tokenNode)
                  }
                : undefined;
        const path: m.Hop[] = node.hops.map(hop => ({
            kind: hop.kind,
            settings: this.hopSettings(hop),
            source: rangeOf(hop)
        }));
        this.port(node, 'port', node.port);
        return this.register(node, {
            ...this.element(node, 'service'),
            kind: 'service',
            serviceKind: node.kind ?? node.name,
            port: node.port,
            mode: (node.mode as m.ServiceMode | undefined) ?? 'active-active',
            standby: node.standby,
            nodes: this.resolveAll<m.Host>(node.nodes),
            frontends: this.resolveAll<m.Vip>(node.frontends),
            database: this.resolve<m.Galera>(node.database),
            databaseVip: this.resolve<m.Vip>(node.databaseVip),
            caches: this.resolveAll<m.Memcached>(node.caches),
            queue: this.resolve<m.RabbitMQ>(node.queue),
            hsm: this.resolve<m.HsmGroup>(node.hsm),
            token,
            includeCatalog: node.catalog !== 'omit',
            interfaces: [...(node.interfaces.length > 0 ? node.interfaces : DEFAULTS.interfaces)],
            path,
            availability: node.availability
                ? this.quantity(node, 'availability', node.availability, 'percent')
                : undefined
        });
    }

    private hsm(node: ast.HsmGroup): m.HsmGroup {
        const written = node.capacity ? this.quantity(node, 'capacity', node.capacity, 'rate') : undefined;
        const devices = node.members.flatMap((member): m.HsmDevice[] => {
            const host = this.resolve<m.Host>(member.host);
            const own = member.capacity ? this.quantity(member, 'capacity', member.capacity, 'rate') : undefined;
            return host ? [{ host, capacityPerSecond: own ?? (node.perDevice ? written : undefined) }] : [];
        });
        this.port(node, 'port', node.port);
        return this.register(node, {
            ...this.element(node, 'hsm'),
            kind: 'hsm',
            members: devices.map(device => device.host),
            devices,
            haOnly: node.haOnly,
            capacityPerSecond: node.perDevice ? undefined : written,
            port: node.port ?? DEFAULTS.hsmPort,
            plugin: node.plugin ?? 'pkcs11'
        });
    }

    private link(node: ast.Link): m.Link | undefined {
        const element = this.element(node, 'link');
        const from = this.resolve<m.Endpoint>(node.from);
        const to = this.resolve<m.Endpoint>(node.to);
        if (!from || !to) return undefined; // the linker has reported it
        return this.register(node, {
            ...element,
            kind: 'link',
            name: node.name ?? '',
            id: node.name ? element.id : `link:${from.name}-${to.name}`,
            from,
            to,
            bidirectional: node.direction === '<->',
            latencySeconds: node.latency ? this.quantity(node, 'latency', node.latency, 'duration') : undefined,
            redundant: node.redundant,
            vpn: node.vpn,
            vpnEndpoints: this.resolveAll<m.Host>(node.vpnEndpoints),
            capacityPerSecond: node.capacity ? this.quantity(node, 'capacity', node.capacity, 'rate') : undefined,
            availability: node.availability
                ? this.quantity(node, 'availability', node.availability, 'percent')
                : undefined,
            rules: node.rules.map(rule => this.rule(rule))
        });
    }

    private firewall(node: ast.Firewall): m.Firewall | undefined {
        const protects = this.resolve<m.Endpoint>(node.target);
        if (!protects) return undefined; // the linker has reported it
        return this.register(node, {
            ...this.element(node, 'firewall'),
            kind: 'firewall',
            protects,
            rules: node.rules.map(rule => this.rule(rule)),
            devices: this.resolveAll<m.Host>(node.devices),
            availability: node.availability
                ? this.quantity(node, 'availability', node.availability, 'percent')
                : undefined
        });
    }

    /**
     * A hop's settings, each read in the unit its kind declares (model/hops.ts). A setting the kind
     * does not have is `invalid-value` with the nearest known one; an unknown kind is reported by
     * the header budget (analysis/headers.ts), which cannot check it.
     */
    private hopSettings(hop: ast.Hop): Map<string, number[]> {
        const settings = new Map<string, number[]>();
        const kind = hopKind(hop.kind);
        for (const setting of hop.settings) {
            const known = kind && hopSetting(kind, setting.name);
            if (kind && !known) {
                const names = kind.settings.map(candidate => candidate.name);
                const near = nearestNames(setting.name, names);
                this.problem(
                    setting,
                    'name',
                    `${hop.kind} has no setting '${setting.name}'${near.length > 0 ? `; did you mean ${orList(near.map(n => `'${n}'`))}?` : ''} (${hop.kind} knows ${names.join(', ')})`,
                    { hop: hop.kind, suggestion: near[0] }
                );
                continue;
            }
            const units: readonly HopUnit[] = known?.values ?? setting.values.map(() => 'size');
            if (setting.values.length !== units.length) {
                this.problem(
                    setting,
                    'values',
                    `${hop.kind} ${setting.name} takes ${units.length === 1 ? `one value (${UNIT_WORDS[units[0]]})` : `${units.length} values (${units.map(unit => UNIT_WORDS[unit]).join(', then ')})`}, not ${setting.values.length}`,
                    { hop: hop.kind }
                );
                continue;
            }
            settings.set(
                setting.name,
                setting.values.map((value, index) => this.hopValue(setting, value, units[index]))
            );
        }
        return settings;
    }

    private hopValue(setting: ast.HopSetting, value: string | number, unit: HopUnit): number {
        if (unit === 'count') {
            if (/^\d+$/.test(String(value))) return Number(value);
            this.problem(setting, 'values', `'${value}' is not a count (a whole number such as 100)`);
            return NaN;
        }
        return this.quantity(setting, 'values', value, unit === 'rate' ? 'rate' : 'size');
    }

    private dns(node: ast.Dns): m.Dns {
        const roundRobin = node.$cstNode
            ? GrammarUtils.findNodesForKeyword(node.$cstNode, 'round-robin').length > 0
            : false;
        return this.register(node, {
            ...this.element(node, 'dns'),
            kind: 'dns',
            fqdn: node.fqdn && unquote(node.fqdn),
            roundRobin,
            targets: this.resolveAll<m.Vip>(node.targets)
        });
    }

    private pacemaker(node: ast.Pacemaker): m.Pacemaker {
        const cluster: m.Pacemaker = this.register(node, {
            ...this.element(node, 'pacemaker'),
            kind: 'pacemaker',
            nodes: this.resolveAll<m.Host>(node.nodes),
            fencing: node.fencing,
            vips: node.vips.map(vip => this.built.get(vip) as m.Vip).filter(isDefined),
            clones: this.resolveAll<m.PacemakerResource>(node.clones),
            activePassive: this.resolveAll<m.PacemakerResource>(node.activePassive)
        });
        for (const vip of cluster.vips) vip.pacemaker = cluster;
        // The resource kind decides how a service runs; a service's own `mode` must agree with it.
        const modes: Array<[m.PacemakerResource[], m.ServiceMode]> = [
            [cluster.clones, 'active-active'],
            [cluster.activePassive, 'active-passive']
        ];
        for (const [resources, mode] of modes) {
            for (const resource of resources) {
                if (resource.kind !== 'service') continue;
                const written = (this.nodeOf(resource) as ast.Service | undefined)?.mode;
                if (written && written !== mode) {
                    this.problem(
                        node,
                        'name',
                        `pacemaker '${cluster.name}' runs service '${resource.name}' ${mode}, but the service says mode ${written}`
                    );
                }
                resource.mode = mode;
            }
        }
        return cluster;
    }

    // ------------------------------------------------------------ environments
    /** Applies an environment's overrides to the design: addresses, sizes, targets. */
    private environment(node: ast.Environment): void {
        const environment: m.Environment = this.register(node, {
            ...this.element(node, 'environment'),
            kind: 'environment',
            description: node.description && unquote(node.description),
            changes: []
        });
        this.model.environment = environment;
        const changed = (line: string) => environment.changes.push(line);
        for (const override of node.overrides) {
            if (ast.isRegionOverride(override)) this.renumber(override, changed);
            else if (ast.isHostOverride(override)) {
                const host = this.resolve<m.Host>(override.host);
                if (!host) continue;
                if (override.address !== undefined) {
                    const value = parseIpv4(override.address);
                    if (value === undefined)
                        this.problem(override, 'address', `'${override.address}' is not an IPv4 address`);
                    else {
                        changed(`host ${host.name} ${host.address} → ${override.address}`);
                        host.address = override.address;
                        host.addressValue = value;
                    }
                }
                if (override.availability) {
                    host.availability = this.quantity(override, 'availability', override.availability, 'percent');
                    changed(`host ${host.name} availability ${override.availability}`);
                }
            } else if (ast.isVipOverride(override)) {
                const vip = this.resolve<m.Vip>(override.vip);
                const value = parseIpv4(override.address);
                if (!vip) continue;
                if (value === undefined)
                    this.problem(override, 'address', `'${override.address}' is not an IPv4 address`);
                else {
                    changed(`vip ${vip.name} ${vip.address} → ${override.address}`);
                    vip.address = override.address;
                    vip.addressValue = value;
                }
            } else if (ast.isHsmOverride(override)) {
                const hsm = this.resolve<m.HsmGroup>(override.hsm);
                if (!hsm) continue;
                const value = this.quantity(override, 'capacity', override.capacity, 'rate');
                for (const device of hsm.devices) device.capacityPerSecond = override.perDevice ? value : undefined;
                hsm.capacityPerSecond = override.perDevice ? undefined : value;
                changed(`hsm ${hsm.name} capacity ${override.capacity}${override.perDevice ? ' per device' : ''}`);
            } else if (ast.isMemcachedOverride(override)) {
                const pool = this.resolve<m.Memcached>(override.pool);
                if (!pool) continue;
                if (override.memory) pool.memoryBytes = this.quantity(override, 'memory', override.memory, 'size');
                if (override.threads !== undefined) pool.threads = override.threads;
                changed(`memcached ${pool.name} resized`);
            } else if (ast.isHAProxyOverride(override)) {
                const haproxy = this.resolve<m.HAProxy>(override.haproxy);
                if (!haproxy) continue;
                if (override.bufsize !== undefined)
                    haproxy.bufsize = this.quantity(override, 'bufsize', override.bufsize, 'size');
                if (override.maxrewrite !== undefined)
                    haproxy.maxrewrite = this.quantity(override, 'maxrewrite', override.maxrewrite, 'size');
                changed(`haproxy ${haproxy.name} resized`);
            } else if (ast.isTarget(override)) {
                if (override.kind === 'availability')
                    this.model.targets.availability = this.quantity(override, 'value', override.value, 'percent');
                else this.model.targets.throughputPerSecond = this.quantity(override, 'value', override.value, 'rate');
                this.model.targets.source = rangeOf(override);
                changed(`target ${override.kind} ${override.value}`);
            }
        }
    }

    /** `region cloud 10.120.0.0/16`: every address of the region keeps its offset in the new subnet. */
    private renumber(override: ast.RegionOverride, changed: (line: string) => void): void {
        const region = this.resolve<m.Region>(override.region);
        const target = parseSubnet(override.subnet);
        if (!region) return;
        if (!target) {
            this.problem(override, 'subnet', `'${override.subnet}' is not an IPv4 subnet`);
            return;
        }
        const from = region.subnet;
        if (!from) {
            this.problem(override, 'subnet', `region '${region.name}' has no subnet in the design to renumber from`);
            return;
        }
        const size = 2 ** (32 - target.prefix);
        const move = (value: number) => target.base + (value - from.base);
        const fits = (value: number) => value - from.base < size;
        const text = (value: number) => [24, 16, 8, 0].map(shift => Math.floor(value / 2 ** shift) % 256).join('.');
        const outside: string[] = [];
        const moveAddress = (element: { name: string; address: string; addressValue?: number }) => {
            if (element.addressValue === undefined || !subnetContains(from, element.addressValue)) return;
            if (!fits(element.addressValue)) {
                outside.push(element.name);
                return;
            }
            element.addressValue = move(element.addressValue);
            element.address = text(element.addressValue);
        };
        for (const zone of region.zones) {
            if (zone.subnet && subnetContains(from, zone.subnet.base) && fits(zone.subnet.base))
                zone.subnet = {
                    ...zone.subnet,
                    base: move(zone.subnet.base),
                    text: `${text(move(zone.subnet.base))}/${zone.subnet.prefix}`
                } satisfies Subnet;
        }
        region.hosts.forEach(moveAddress);
        this.model.vips.forEach(moveAddress);
        if (outside.length > 0)
            this.problem(
                override,
                'subnet',
                `${override.subnet} is smaller than ${from.text}: ${orList(outside).replace(' or ', ' and ')} would fall outside it`
            );
        changed(`region ${region.name} ${from.text} → ${target.text}`);
        region.subnet = target;
    }

    /**
     * Elements that a syntax error cuts short: an error inside their text. The model keeps them
     * (references to them resolve) and marks them, so rules do not judge half a cluster.
     */
    private markCutShort(documents: readonly LangiumDocument[]): void {
        for (const document of documents) {
            // Where each error is: its token, and the token before it (`latency 5 ms`: the link
            // ends at `latency`, the error is at `5`).
            const offsets = [
                ...document.parseResult.lexerErrors.map(error => error.offset),
                ...document.parseResult.parserErrors.flatMap(error => {
                    const previous = (error as { previousToken?: { endOffset?: number } }).previousToken?.endOffset;
                    const own = error.token.startOffset;
                    return [own, previous].filter(
                        (offset): offset is number =>
                            typeof offset === 'number' && Number.isFinite(offset) && offset >= 0
                    );
                })
            ];
            if (offsets.length === 0) continue;
            const uri = document.uri.toString();
            for (const [node, element] of this.built) {
                const cst = node.$cstNode;
                if (!cst || AstUtils.getDocument(node).uri.toString() !== uri) continue;
                if (offsets.some(offset => offset >= cst.offset && offset <= cst.end)) element.incomplete = true;
            }
        }
    }

    private rule(node: ast.Rule): m.Rule {
        const protocol = node.protocol ?? (node.ipProtocol !== undefined ? 'ip' : 'all');
        this.inRange(node, 'ipProtocol', node.ipProtocol, 0, 255, 'IP protocol');
        return {
            action: node.action,
            protocol,
            ipProtocol: node.ipProtocol,
            ports: node.ports.map(range => this.portRange(range)),
            from: this.resolve<m.Endpoint>(node.source),
            source: rangeOf(node)
        };
    }

    private management(node: ast.Management): m.ManagementAccess | undefined {
        const from = node.subnet !== undefined ? this.subnet(node, node.subnet) : this.resolve<m.Endpoint>(node.source);
        const ports = node.ports.length > 0 ? node.ports.map(range => this.portRange(range)) : undefined;
        if (!from) return undefined; // the linker or the subnet check has reported it
        return {
            from,
            ports: ports ?? DEFAULTS.managementPorts.map(port => ({ first: port, last: port })),
            implied: false,
            source: rangeOf(node)
        };
    }

    private portRange(node: ast.PortRange): m.PortRange {
        this.port(node, 'first', node.first);
        this.port(node, 'last', node.last);
        if (node.last !== undefined && node.first > node.last)
            this.problem(node, 'last', `port range ${node.first}-${node.last} ends before it starts`);
        return { first: node.first, last: node.last ?? node.first };
    }

    // ------------------------------------------------------------ helpers
    private port(node: AstNode, property: string, value: number | undefined): void {
        this.inRange(node, property, value, 1, 65535, 'port');
    }

    private inRange(
        node: AstNode,
        property: string,
        value: number | undefined,
        min: number,
        max: number,
        what: string
    ): void {
        if (typeof value === 'number' && (value < min || value > max))
            this.problem(node, property, `${what} ${value} is outside ${min}–${max}`, { value, min, max });
    }

    /** Linux interface names are at most 15 characters (IFNAMSIZ). */
    private interfaceName(node: AstNode, name: string | undefined): string | undefined {
        if (name !== undefined && name.length > 15)
            this.problem(
                node,
                'interface',
                `interface '${name}' has ${name.length} characters: Linux allows at most 15`
            );
        return name;
    }

    private element(node: AstNode & { name?: string }, kind: m.ElementKind): m.ModelElement {
        const nameNode = firstNodeForProperty(node.$cstNode, 'name');
        return {
            kind,
            name: node.name ?? '',
            id: `${kind}:${node.name ?? ''}`,
            source: rangeOf(node),
            nameSource: nameNode ? toSource(node, nameNode.range) : rangeOf(node)
        };
    }

    /** Ids are unique: a second element of the same id (a duplicate name, reported) gets `#2`, `#3` … */
    private indexById(): void {
        for (const element of this.built.values()) {
            let id = element.id;
            for (let n = 2; this.model.elements.has(id); n++) id = `${element.id}#${n}`;
            element.id = id;
            this.model.elements.set(id, element);
        }
    }

    private pushIfResolved<T>(list: T[], element: T | undefined): void {
        if (element) list.push(element);
    }

    private nodeOf(element: m.ModelElement): AstNode | undefined {
        for (const [node, built] of this.built) if (built === element) return node;
        return undefined;
    }

    private register<T extends m.ModelElement>(node: AstNode, element: T): T {
        this.built.set(node, element);
        return element;
    }

    private resolve<T>(reference: Reference | undefined): T | undefined {
        const target = reference?.ref;
        return target ? (this.built.get(target) as T | undefined) : undefined;
    }

    private resolveAll<T>(references: readonly Reference[]): T[] {
        return references.map(reference => this.resolve<T>(reference)).filter(isDefined);
    }

    private subnet(node: AstNode, text: string | undefined): m.Region['subnet'] {
        const subnet = parseSubnet(text);
        if (!subnet && text !== undefined) this.problem(node, 'subnet', `'${text}' is not an IPv4 subnet`);
        return subnet;
    }

    private quantity(node: AstNode, property: string, text: string | number | undefined, kind: QuantityKind): number {
        if (text === undefined) return NaN; // the parser has reported what is missing
        const result = readQuantity(text, kind);
        if (result.ok) return result.value;
        this.problem(node, property, result.error);
        return NaN;
    }

    private problem(node: AstNode, property: string, message: string, data: m.ModelProblem['data'] = {}): void {
        const cst = firstNodeForProperty(node.$cstNode, property);
        const problem: m.ModelProblem = {
            rule: 'invalid-value',
            message,
            source: cst ? toSource(node, cst.range) : rangeOf(node),
            data: { setting: property, ...data }
        };
        this.model.problems.push(problem);
        this.problemNodes.set(problem, node);
    }

    /** A problem belongs to the nearest element around the node it was found on. */
    private attachProblems(): void {
        for (const [problem, node] of this.problemNodes) {
            for (let at: AstNode | undefined = node; at && !problem.element; at = at.$container) {
                problem.element = this.built.get(at);
            }
        }
    }
}

const TOKEN_FORMATS = new Set<string | undefined>(['uuid', 'fernet', 'pki', 'pkiz']);

const UNIT_WORDS: Record<HopUnit, string> = {
    size: 'a size such as 8192 or 8k',
    count: 'a count such as 100',
    rate: 'a rate such as 100/s'
};

function options(nodes: readonly ast.Option[]): Map<string, string> {
    return new Map(nodes.map(option => [option.name, unquote(String(option.value))]));
}

function rangeOf(node: AstNode): m.SourceRange {
    const range = node.$cstNode?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return toSource(node, range);
}

function toSource(node: AstNode, range: { start: m.SourceRange['start']; end: m.SourceRange['end'] }): m.SourceRange {
    return { uri: AstUtils.getDocument(node).uri.toString(), start: range.start, end: range.end };
}

function unquote(text: string): string {
    return text.startsWith('"') && text.endsWith('"') ? (JSON.parse(text) as string) : text;
}

function isDefined<T>(value: T | undefined): value is T {
    return value !== undefined;
}
