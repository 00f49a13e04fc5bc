// Galera options as the model holds them: provider options written on their own or inside
// wsrep_provider_options, booleans as MariaDB reads them, and ISO 8601 durations as Galera writes them.

import type { Galera } from '../model/model.js';

export const TRUE_VALUES = new Set(['on', 'true', '1', 'yes']);

/** A provider option, set on its own (`option pc.ignore_sb = true`) or inside wsrep_provider_options. */
export function providerOption(cluster: Galera, name: string): string | undefined {
    const direct = cluster.options.get(name);
    if (direct !== undefined) return direct;
    const combined = cluster.options.get('wsrep_provider_options') ?? '';
    for (const part of combined.split(';')) {
        const [key, value] = part.split('=').map(text => text.trim());
        if (key === name) return value;
    }
    return undefined;
}

/** Seconds of an ISO 8601 duration as Galera writes them (PT30S, PT1M, PT1H30M, PT7.5S). */
export function isoSeconds(text: string): number | undefined {
    const match = /^P(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)$/i.exec(text.trim());
    if (!match || text.trim().toUpperCase() === 'PT') return undefined;
    return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}
