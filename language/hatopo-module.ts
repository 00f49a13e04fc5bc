// Dependency injection for the hatopo language, following Langium's `<lang>-module.ts` convention.

import { inject, type Module } from 'langium';
import {
    createDefaultModule,
    createDefaultSharedModule,
    type DefaultSharedModuleContext,
    type LangiumServices,
    type LangiumSharedServices,
    type PartialLangiumServices,
    type PartialLangiumSharedServices
} from 'langium/lsp';
import { HatopoGeneratedModule, HatopoGeneratedSharedModule } from './generated/module.js';
import { HatopoDocumentValidator } from './hatopo-document-validator.js';
import { HatopoFormatter } from './hatopo-formatter.js';
import { HatopoModelCache } from './hatopo-model-cache.js';
import { HatopoCodeActionProvider } from './lsp/hatopo-code-actions.js';
import { HatopoCodeLensProvider } from './lsp/hatopo-code-lens.js';
import { HatopoDocumentUpdateHandler } from './lsp/hatopo-document-update-handler.js';
import { HatopoHoverProvider } from './lsp/hatopo-hover.js';
import { HatopoNameProvider, HatopoScopeComputation, HatopoScopeProvider } from './hatopo-scope.js';
import { HatopoLinker } from './hatopo-linker.js';
import { HatopoLexerErrorMessageProvider, HatopoParserErrorMessageProvider } from './hatopo-parser-errors.js';
import { HatopoValidator, registerValidationChecks } from './hatopo-validator.js';

export type HatopoAddedServices = {
    validation: { HatopoValidator: HatopoValidator };
    analysis: { ModelCache: HatopoModelCache };
};

export type HatopoServices = LangiumServices & HatopoAddedServices;

export const HatopoModule: Module<HatopoServices, PartialLangiumServices & HatopoAddedServices> = {
    parser: {
        ParserErrorMessageProvider: () => new HatopoParserErrorMessageProvider(),
        LexerErrorMessageProvider: () => new HatopoLexerErrorMessageProvider()
    },
    references: {
        Linker: services => new HatopoLinker(services),
        NameProvider: () => new HatopoNameProvider(),
        ScopeComputation: services => new HatopoScopeComputation(services),
        ScopeProvider: services => new HatopoScopeProvider(services)
    },
    validation: {
        HatopoValidator: services => new HatopoValidator(services),
        DocumentValidator: services => new HatopoDocumentValidator(services)
    },
    analysis: {
        ModelCache: services => new HatopoModelCache(services.shared)
    },
    lsp: {
        Formatter: () => new HatopoFormatter(),
        HoverProvider: services => new HatopoHoverProvider(services),
        CodeActionProvider: services => new HatopoCodeActionProvider(services),
        CodeLensProvider: () => new HatopoCodeLensProvider()
    }
};

/** Shared across languages: which editor documents are built. */
export const HatopoSharedModule: Module<LangiumSharedServices, PartialLangiumSharedServices> = {
    lsp: {
        DocumentUpdateHandler: services => new HatopoDocumentUpdateHandler(services)
    }
};

export function createHatopoServices(context: DefaultSharedModuleContext): {
    shared: LangiumSharedServices;
    Hatopo: HatopoServices;
} {
    const shared = inject(createDefaultSharedModule(context), HatopoGeneratedSharedModule, HatopoSharedModule);
    const Hatopo = inject(createDefaultModule({ shared }), HatopoGeneratedModule, HatopoModule);
    shared.ServiceRegistry.register(Hatopo);
    registerValidationChecks(Hatopo);
    if (!context.connection) {
        // Without a language server the workspace is not configured by a client: say so.
        shared.workspace.ConfigurationProvider.initialized({});
    }
    return { shared, Hatopo };
}
