// Finds the hatopo.json that governs a document: the nearest one in its folder or above, the same
// for the CLI and the language server.

import { UriUtils, type FileSystemProvider, type LangiumDocument, type URI } from 'langium';
import { NO_SETTINGS, parseSettings, type RuleSettings } from './analysis/settings.js';

export const SETTINGS_FILE = 'hatopo.json';

export interface LoadedSettings {
    settings: RuleSettings;
    file?: URI;
    error?: string;
}

export function settingsFor(document: LangiumDocument, fileSystem: FileSystemProvider): LoadedSettings {
    if (document.uri.scheme !== 'file') return { settings: NO_SETTINGS };
    let folder = UriUtils.dirname(document.uri);
    for (;;) {
        const candidate = UriUtils.joinPath(folder, SETTINGS_FILE);
        if (fileSystem.existsSync(candidate)) {
            try {
                return { settings: parseSettings(fileSystem.readFileSync(candidate)), file: candidate };
            } catch (error) {
                return {
                    settings: NO_SETTINGS,
                    file: candidate,
                    error: `${candidate.fsPath}: ${(error as Error).message}`
                };
            }
        }
        const parent = UriUtils.dirname(folder);
        if (parent.path === folder.path) return { settings: NO_SETTINGS };
        folder = parent;
    }
}
