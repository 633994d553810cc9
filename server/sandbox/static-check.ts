import { parse, type Node } from "acorn";
import { full } from "acorn-walk";
import type { SourceError } from "./errors";
import { originalPosition, type LineMappings } from "./source-map";

/** The one module a strategy may import. */
export const SDK_MODULE = "@strategy-lab/sdk";

/**
 * Policy (a first line of defence; the isolate is the real boundary):
 * - host and module-system globals are unavailable: a strategy gets bars, params and `ta`;
 * - code generation from strings (`eval`, `Function`) is refused;
 * - reflection that walks to constructors or prototypes (`.constructor`, `__proto__`,
 *   `.prototype`, `getPrototypeOf`, `defineProperty`, `Reflect`, `Proxy`) is refused, since
 *   strategies never need it and it is the usual road to escapes;
 * - nothing may outlive a run: no timers, promises, `async`/`await`, `WeakRef`;
 * - ordinary language features (classes, closures, generators, Map/Set, typed arrays, Math,
 *   JSON, regular expressions) stay available.
 */
const BANNED_GLOBALS: Record<string, string> = {
  require: `use \`import { … } from "${SDK_MODULE}"\` instead of require()`,
  module: "`module` is not available; use `export default defineStrategy(…)`",
  exports: "`exports` is not available; use `export default defineStrategy(…)`",
  eval: "`eval` is not allowed in strategies",
  Function: "the `Function` constructor is not allowed in strategies",
  process: "`process` is not available in strategies",
  globalThis: "`globalThis` is not available in strategies",
  global: "`global` is not available in strategies",
  self: "`self` is not available in strategies",
  window: "`window` is not available in strategies",
  Buffer: "`Buffer` is not available in strategies; use typed arrays",
  fetch: "network access is not available in strategies",
  WebAssembly: "`WebAssembly` is not allowed in strategies",
  Atomics: "`Atomics` is not allowed in strategies",
  SharedArrayBuffer: "`SharedArrayBuffer` is not allowed in strategies",
  setTimeout: "timers are not available: signals() must return synchronously",
  setInterval: "timers are not available: signals() must return synchronously",
  setImmediate: "timers are not available: signals() must return synchronously",
  queueMicrotask: "`queueMicrotask` is not available: signals() must return synchronously",
  Promise: "promises are not available: signals() must return synchronously",
  Reflect: "`Reflect` is not allowed in strategies",
  Proxy: "`Proxy` is not allowed in strategies",
  WeakRef: "`WeakRef` is not allowed in strategies",
  FinalizationRegistry: "`FinalizationRegistry` is not allowed in strategies",
};

const BANNED_PROPERTIES = new Set([
  "constructor",
  "__proto__",
  "prototype",
  "__defineGetter__",
  "__defineSetter__",
  "__lookupGetter__",
  "__lookupSetter__",
  "getPrototypeOf",
  "setPrototypeOf",
  "defineProperty",
  "defineProperties",
  "getOwnPropertyDescriptor",
  "getOwnPropertyDescriptors",
  "caller",
  "callee",
]);

type AnyNode = Node & Record<string, unknown>;

function staticKey(node: AnyNode | undefined, computed: boolean): string | undefined {
  if (!node) return undefined;
  if (!computed && node.type === "Identifier") return node.name as string;
  if (node.type === "Literal" && typeof node.value === "string") return node.value;
  if (node.type === "TemplateLiteral" && (node.expressions as unknown[]).length === 0) {
    const quasis = node.quasis as { value: { cooked: string } }[];
    return quasis[0]?.value.cooked;
  }
  return undefined;
}

function findings(ast: Node): { node: Node; message: string }[] {
  const out: { node: Node; message: string }[] = [];
  const flag = (node: Node, message: string) => out.push({ node, message });
  full(ast, (raw) => {
    const node = raw as AnyNode;
    switch (node.type) {
      case "ImportDeclaration":
      case "ExportAllDeclaration":
      case "ExportNamedDeclaration": {
        const source = node.source as AnyNode | null | undefined;
        if (source && source.value !== SDK_MODULE)
          flag(source, `only "${SDK_MODULE}" can be imported (found "${String(source.value)}")`);
        break;
      }
      case "ImportExpression":
        flag(node, "dynamic import() is not allowed in strategies");
        break;
      case "MetaProperty":
        flag(
          node,
          `\`${(node.meta as AnyNode).name as string}.${(node.property as AnyNode).name as string}\` is not allowed in strategies`,
        );
        break;
      case "Identifier": {
        const name = node.name as string;
        if (Object.hasOwn(BANNED_GLOBALS, name)) flag(node, BANNED_GLOBALS[name]);
        break;
      }
      case "MemberExpression": {
        const key = staticKey(node.property as AnyNode, node.computed as boolean);
        if (key !== undefined && BANNED_PROPERTIES.has(key))
          flag(node.property as Node, `access to \`${key}\` is not allowed in strategies`);
        const owner =
          (node.object as AnyNode).type === "Identifier" ? ((node.object as AnyNode).name as string) : undefined;
        if ((owner === "Math" && key === "random") || (owner === "Date" && key === "now"))
          flag(node, `\`${owner}.${key}\` is not allowed: signals() must give the same output for the same bars`);
        break;
      }
      case "NewExpression":
        if (
          (node.callee as AnyNode).type === "Identifier" &&
          (node.callee as AnyNode).name === "Date" &&
          (node.arguments as AnyNode[]).length === 0
        )
          flag(
            node,
            "`new Date()` reads the clock: use the bars' timestamps (signals() must give the same output for the same bars)",
          );
        break;
      case "ObjectExpression":
      case "ObjectPattern":
        for (const prop of node.properties as AnyNode[]) {
          if (prop.type !== "Property") continue;
          const key = staticKey(prop.key as AnyNode, prop.computed as boolean);
          if (key === undefined) continue;
          if (key === "__proto__" || (node.type === "ObjectPattern" && BANNED_PROPERTIES.has(key)))
            flag(prop.key as Node, `access to \`${key}\` is not allowed in strategies`);
        }
        break;
      case "FunctionDeclaration":
      case "FunctionExpression":
      case "ArrowFunctionExpression":
        if (node.async) flag(node, "async functions are not allowed: signals() must return synchronously");
        break;
      case "AwaitExpression":
        flag(node, "`await` is not allowed: signals() must return synchronously");
        break;
      case "ForOfStatement":
        if (node.await) flag(node, "`for await` is not allowed: signals() must return synchronously");
        break;
      case "WithStatement":
        flag(node, "`with` is not allowed in strategies");
        break;
      case "DebuggerStatement":
        flag(node, "`debugger` is not allowed in strategies");
        break;
    }
  });
  return out;
}

/**
 * Parses the type-stripped ES module and applies the policy above. Returns every finding,
 * positioned in the user's TypeScript source (1-based line and column), in source order.
 */
export function checkModuleAst(moduleJs: string, map: LineMappings): SourceError[] {
  let ast: Node;
  try {
    ast = parse(moduleJs, { ecmaVersion: "latest", sourceType: "module", locations: true });
  } catch (err) {
    const loc = (err as { loc?: { line: number; column: number } }).loc;
    const pos = loc ? originalPosition(map, loc.line, loc.column) : { line: 1, column: 1 };
    const reason = err instanceof Error ? err.message.replace(/\s*\(\d+:\d+\)\s*$/, "") : "syntax error";
    return [{ ...pos, message: reason }];
  }
  const errors = findings(ast).map(({ node, message }) => {
    const start = node.loc?.start ?? { line: 1, column: 0 };
    return { ...originalPosition(map, start.line, start.column), message };
  });
  errors.sort((a, b) => a.line - b.line || a.column - b.column);
  return errors;
}
