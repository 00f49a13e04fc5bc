// The JSON schema of hatopo.json, from the rule catalogue: editors' JSON language servers complete
// and check the rule ids and severities with it (VS Code through the extension's jsonValidation,
// other editors through `$schema`). schemas/hatopo.schema.json is this, kept in step by a test.

import { RULES } from '../analysis/rules.js';

export function settingsSchema(): object {
    const rules = [...RULES.values()].map(rule => [
        rule.id,
        { description: `${rule.description} Default: ${rule.severity}.`, enum: ['error', 'warning', 'info', 'off'] }
    ]);
    return {
        $schema: 'http://json-schema.org/draft-07/schema#',
        title: 'hatopo.json: rule settings for .hatopo files',
        description: 'A severity per rule, or "off", for the .hatopo files in this folder and below (docs/rules.md).',
        type: 'object',
        properties: {
            $schema: { type: 'string' },
            rules: {
                description: 'Rule id → severity.',
                type: 'object',
                additionalProperties: false,
                properties: Object.fromEntries(rules)
            }
        }
    };
}
