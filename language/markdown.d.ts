// Markdown files imported as text (the bundler's `text` loader, vitest's markdown plugin).
declare module '*.md' {
    const text: string;
    export default text;
}
