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
import { HatopoDocumentBuilder } from './hatopo-document-builder.js';
import { HatopoDocumentFactory } from './hatopo-document-factory.js';
import { HatopoDocumentValidator } from './hatopo-document-validator.js';
import { HatopoFormatter } from './hatopo-formatter.js';
import { HatopoModelCache } from './hatopo-model-cache.js';
import { HatopoAstNodeDescriptionProvider, HatopoReferenceDescriptionProvider } from './hatopo-descriptions.js';
import { HatopoCodeActionProvider } from './lsp/hatopo-code-actions.js';
import { HatopoCodeLensProvider } from './lsp/hatopo-code-lens.js';
import { HatopoCompletionProvider } from './lsp/hatopo-completion.js';
import { BuiltInLanguageDocs, type LanguageDocs } from './lsp/hatopo-docs.js';
import { HatopoDocumentLinkProvider } from './lsp/hatopo-document-links.js';
import { HatopoFigureCache } from './lsp/hatopo-figures.js';
import { HatopoFixChecker } from './lsp/hatopo-fix-checker.js';
import { HatopoDocumentUpdateHandler } from './lsp/hatopo-document-update-handler.js';
import { HatopoHoverProvider } from './lsp/hatopo-hover.js';
import { HatopoInlayHintProvider } from './lsp/hatopo-inlay-hints.js';
import { HatopoLanguageServer } from './lsp/hatopo-language-server.js';
import { HatopoSemanticTokenProvider } from './lsp/hatopo-semantic-tokens.js';
import { HatopoDocumentSymbolProvider, HatopoNodeKindProvider } from './lsp/hatopo-symbols.js';
import { HatopoNameProvider, HatopoScopeComputation, HatopoScopeProvider } from './hatopo-scope.js';
import { HatopoLinker } from './hatopo-linker.js';
import { createHatopoParser } from './hatopo-parser.js';
import { HatopoLexerErrorMessageProvider, HatopoParserErrorMessageProvider } from './hatopo-parser-errors.js';
import { HatopoValidator, registerValidationChecks } from './hatopo-validator.js';

export type HatopoAddedServices = {
    validation: { HatopoValidator: HatopoValidator };
    analysis: { ModelCache: HatopoModelCache; Figures: HatopoFigureCache };
    /** What completion and hover say about keywords, options and hop kinds (swappable for a docs loader). */
    docs: { Language: LanguageDocs };
    lsp: { FixChecker: HatopoFixChecker };
};

export type HatopoServices = LangiumServices & HatopoAddedServices;

export const HatopoModule: Module<HatopoServices, PartialLangiumServices & HatopoAddedServices> = {
    parser: {
        LangiumParser: services => createHatopoParser(services),
        ParserErrorMessageProvider: () => new HatopoParserErrorMessageProvider(),
        LexerErrorMessageProvider: () => new HatopoLexerErrorMessageProvider()
    },
    references: {
        Linker: services => new HatopoLinker(services),
        NameProvider: () => new HatopoNameProvider(),
        ScopeComputation: services => new HatopoScopeComputation(services),
        ScopeProvider: services => new HatopoScopeProvider(services)
    },
    workspace: {
        AstNodeDescriptionProvider: services => new HatopoAstNodeDescriptionProvider(services),
        ReferenceDescriptionProvider: services => new HatopoReferenceDescriptionProvider(services)
    },
    validation: {
        HatopoValidator: services => new HatopoValidator(services),
        DocumentValidator: services => new HatopoDocumentValidator(services)
    },
    analysis: {
        ModelCache: services => new HatopoModelCache(services.shared),
        Figures: services => new HatopoFigureCache(services.shared, services.analysis.ModelCache)
    },
    docs: {
        Language: () => new BuiltInLanguageDocs()
    },
    lsp: {
        Formatter: () => new HatopoFormatter(),
        HoverProvider: services => new HatopoHoverProvider(services),
        CompletionProvider: services => new HatopoCompletionProvider(services),
        DocumentSymbolProvider: () => new HatopoDocumentSymbolProvider(),
        SemanticTokenProvider: services => new HatopoSemanticTokenProvider(services),
        InlayHintProvider: services => new HatopoInlayHintProvider(services),
        DocumentLinkProvider: () => new HatopoDocumentLinkProvider(),
        CodeActionProvider: services => new HatopoCodeActionProvider(services),
        CodeLensProvider: services => new HatopoCodeLensProvider(services),
        // Quick fixes are checked in a workspace of their own, reading settings from the same files.
        FixChecker: services =>
            new HatopoFixChecker(services, () =>
                createHatopoServices({ fileSystemProvider: () => services.shared.workspace.FileSystemProvider })
            )
    }
};

/** Shared across languages: the server's capabilities, symbol kinds, which editor documents are built. */
export const HatopoSharedModule: Module<LangiumSharedServices, PartialLangiumSharedServices> = {
    workspace: {
        DocumentBuilder: services => new HatopoDocumentBuilder(services),
        LangiumDocumentFactory: services => new HatopoDocumentFactory(services)
    },
    lsp: {
        LanguageServer: shared => new HatopoLanguageServer(shared),
        NodeKindProvider: () => new HatopoNodeKindProvider(),
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
    // Created now, not at the first validation: it counts every linking from the first build on.
    void Hatopo.analysis.ModelCache;
    if (!context.connection) {
        // Without a language server the workspace is not configured by a client: say so.
        shared.workspace.ConfigurationProvider.initialized({});
    }
    return { shared, Hatopo };
}
