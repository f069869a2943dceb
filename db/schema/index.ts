export * from "./enums";
export * from "./org";
export * from "./users";
export * from "./master";
export * from "./inventory";
export * from "./production";
export * from "./genealogy";
export * from "./platform";
