// Dependency injection for the hatopo language, following Langium's `<lang>-module.ts` convention.

import { inject, type Module } from 'langium';
import {
    createDefaultModule,
    createDefaultSharedModule,
    type DefaultSharedModuleContext,
    type LangiumServices,
    type LangiumSharedServices,
    type PartialLangiumServices
} from 'langium/lsp';
import { HatopoGeneratedModule, HatopoGeneratedSharedModule } from './generated/module.js';
import { HatopoDocumentValidator } from './hatopo-document-validator.js';
import { HatopoFormatter } from './hatopo-formatter.js';
import { HatopoModelCache } from './hatopo-model-cache.js';
import { HatopoCodeActionProvider } from './lsp/hatopo-code-actions.js';
import { HatopoCodeLensProvider } from './lsp/hatopo-code-lens.js';
import { HatopoFixChecker } from './lsp/hatopo-fix-checker.js';
import { HatopoHoverProvider } from './lsp/hatopo-hover.js';
import { HatopoNameProvider, HatopoScopeComputation, HatopoScopeProvider } from './hatopo-scope.js';
import { HatopoValidator, registerValidationChecks } from './hatopo-validator.js';

export type HatopoAddedServices = {
    validation: { HatopoValidator: HatopoValidator };
    analysis: { ModelCache: HatopoModelCache };
    lsp: { FixChecker: HatopoFixChecker };
};

export type HatopoServices = LangiumServices & HatopoAddedServices;

export const HatopoModule: Module<HatopoServices, PartialLangiumServices & HatopoAddedServices> = {
    references: {
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
        CodeLensProvider: () => new HatopoCodeLensProvider(),
        // Quick fixes are checked in a workspace of their own, reading settings from the same files.
        FixChecker: services =>
            new HatopoFixChecker(services, () =>
                createHatopoServices({ fileSystemProvider: () => services.shared.workspace.FileSystemProvider })
            )
    }
};

export function createHatopoServices(context: DefaultSharedModuleContext): {
    shared: LangiumSharedServices;
    Hatopo: HatopoServices;
} {
    const shared = inject(createDefaultSharedModule(context), HatopoGeneratedSharedModule);
    const Hatopo = inject(createDefaultModule({ shared }), HatopoGeneratedModule, HatopoModule);
    shared.ServiceRegistry.register(Hatopo);
    registerValidationChecks(Hatopo);
    if (!context.connection) {
        // Without a language server the workspace is not configured by a client: say so.
        shared.workspace.ConfigurationProvider.initialized({});
    }
    return { shared, Hatopo };
}
