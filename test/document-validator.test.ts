// The document validator (language/hatopo-document-validator.ts): Langium's own problems under
// hatopo's rule ids, so the CLI, SARIF, settings and the editor name them alike.

import { EmptyFileSystem, type ValidationChecks } from 'langium';
import { parseHelper } from 'langium/test';
import { describe, expect, it } from 'vitest';
import type { Document, HatopoAstType } from '../language/generated/ast.js';
import { createHatopoServices } from '../language/hatopo-module.js';
import { check, rules } from './helpers.js';

describe('rule ids of Langium problems', () => {
    it('names a check that throws internal-error, so the CLI and the editor agree', async () => {
        const broken = createHatopoServices(EmptyFileSystem);
        const throwing: ValidationChecks<HatopoAstType> = {
            Document: () => {
                throw new Error('boom');
            }
        };
        broken.Hatopo.validation.ValidationRegistry.register(throwing);
        const document = await parseHelper<Document>(broken.Hatopo)('region r { host a 10.0.0.1 }', {
            validation: true
        });
        expect((document.diagnostics ?? []).map(d => d.code)).toContain('internal-error');
    });

    it('names lexer and parser problems syntax-error, linker problems unresolved-reference', async () => {
        const lexed = rules(await check('region r { host a 10.0.0.1 } ~'));
        expect(lexed.length).toBeGreaterThan(0);
        expect(new Set(lexed)).toEqual(new Set(['syntax-error']));
        expect(rules(await check('region r { host a 10.0.0.1 }\ngalera g { members a, zz }'))).toContain(
            'unresolved-reference'
        );
    });
});
