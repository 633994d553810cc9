export function allowedMajors(range: string): { min: number; maxExclusive: number };
export function nodeVersionProblem(version: string, range: string): string | null;
export function requireSupportedNode(packageJsonPath?: string | URL): void;
