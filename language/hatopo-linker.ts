// Unresolved references in the operator's words: what kind of thing was looked for, and the
// nearest names in scope ("no host 'api22'; did you mean api2?"). The quick fix that replaces the
// name is in lsp/reference-fixes.ts; it reads the suggestions from the diagnostic's data.

import { DefaultLinker, type LinkingError, type ReferenceInfo } from 'langium';
import { nearestNames, orList } from './model/nearest.js';

/** What each reference type is called in a message. */
const KIND_WORDS: Record<string, string> = {
    Host: 'host',
    Zone: 'zone',
    Region: 'region',
    Endpoint: 'region, zone or host',
    Galera: 'galera cluster',
    RabbitMQ: 'rabbitmq cluster',
    Memcached: 'memcached pool',
    Vip: 'vip',
    HAProxy: 'haproxy',
    Backend: 'backend in this haproxy',
    HsmGroup: 'hsm group',
    PacemakerResource: 'service or haproxy'
};

/** A linking error with the nearest names in scope; the document validator puts them in `data.suggestions`. */
export type SuggestingLinkingError = LinkingError & { suggestions: string[] };

export class HatopoLinker extends DefaultLinker {
    override createLinkingError(
        refInfo: ReferenceInfo,
        targetDescription?: Parameters<DefaultLinker['createLinkingError']>[1]
    ): SuggestingLinkingError {
        const error = super.createLinkingError(refInfo, targetDescription);
        const type = this.reflection.getReferenceType(refInfo);
        const name = refInfo.reference.$refText;
        const candidates = this.scopeProvider
            .getScope(refInfo)
            .getAllElements()
            .map(description => description.name)
            .toArray();
        const suggestions = nearestNames(name, candidates);
        const kind = KIND_WORDS[type] ?? type.toLowerCase();
        const hint = suggestions.length > 0 ? `; did you mean ${orList(suggestions)}?` : '';
        return { ...error, message: `no ${kind} '${name}'${hint}`, suggestions };
    }
}
