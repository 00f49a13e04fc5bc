// The package version, defined by the bundler from package.json (a dev build says so).

declare const HATOPO_VERSION: string;

export const version = typeof HATOPO_VERSION === 'string' ? HATOPO_VERSION : '0.0.0-dev';
