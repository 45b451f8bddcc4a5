/**
 * @mega-shell/plugin-share: public links (`export`, `import`) and shares with other users (`share`, `mount`).
 * Commands live in src/commands/share/; their engines beside them. Like every plugin it builds on the core only.
 */
export {}
