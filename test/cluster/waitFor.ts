// `pulumi.com/waitFor` as the Kubernetes provider reads it, for the Applier: after a create or an
// update, the object is read until every condition holds. Modelled on pulumi-kubernetes at master
// 94977969 (July 2026, the newest stored snapshot: after v4.32.0, before the v4.34.2 we pin, whose
// tag it does not have): provider/pkg/metadata/overrides.go `ReadyCondition` (a JSON array of
// strings is all of them, anything else one expression; each starts `jsonpath=` or `condition=`),
// provider/pkg/jsonpath/jsonpath.go `Parse` and `Matches`, provider/pkg/await/condition/jsonpath.go
// (`metadata.generation` ahead of `status.observedGeneration` is not yet met) and kubectl.go
// `checkCondition`. The provider evaluates full RFC 9535 paths (github.com/theory/jsonpath); this
// reads their plainest part, and throws on anything else rather than guess.

type Json = Record<string, any>;

export const waitForAnnotation = "pulumi.com/waitFor";

/** One condition of the annotation: true once the object meets it. */
export type Condition = (o: Json) => boolean;

/** The annotation's conditions, undefined when it is absent. */
export function waitForConditions(o: Json): { readonly text: string; readonly conditions: readonly Condition[] } | undefined {
    const text: string | undefined = o.metadata?.annotations?.[waitForAnnotation];
    if (text === undefined || text === "") {
        return undefined;
    }
    let values: unknown;
    try {
        values = JSON.parse(text);
    } catch {
        values = undefined;
    }
    const expressions = Array.isArray(values) && values.every((v) => typeof v === "string") ? values : [text];
    if (expressions.length === 0) {
        throw new Error("at least one condition must be specified");
    }
    return {
        text, conditions: expressions.map((e) => {
            if (e.startsWith("jsonpath=")) {
                return jsonPathCondition(e);
            }
            if (e.startsWith("condition=")) {
                return statusCondition(e);
            }
            throw new Error(`expected a "jsonpath=" or "condition=" prefix, got ${JSON.stringify(e)}`);
        }),
    };
}

/** `jsonpath={path}` (the path selects something) or `jsonpath={path}=value` (its first value, printed, is value). */
export function jsonPathCondition(expression: string): Condition {
    const raw = expression.slice("jsonpath=".length);
    // Split only on "=", keeping "==" (jsonpath.go Parse).
    const placeholder = "\u0000";
    const parts = raw.split("==").join(placeholder).split("=").map((p) => p.split(placeholder).join("=="));
    if (parts.length > 2) {
        throw new Error(`format should be {.path}=value or {.path}, got ${JSON.stringify(raw)}`);
    }
    const [path, value] = parts;
    if (parts.length === 2 && value === "") {
        throw new Error(`${path}= requires a value`);
    }
    const braces = /\{\s*(.*?)\s*\}/.exec(path);
    if (!braces) {
        throw new Error(`${path} should be wrapped in brackets { ... }`);
    }
    const segments = parseSegments(braces[1].startsWith("$") ? braces[1].slice(1) : braces[1]);
    return (o) => {
        if (!generationObserved(o)) {
            return false;
        }
        let node: unknown = o;
        for (const s of segments) {
            if (node === null || typeof node !== "object") {
                return false;
            }
            const next = (node as Record<string | number, unknown>)[s];
            if (next === undefined || (typeof s === "number") !== Array.isArray(node)) {
                return false;
            }
            node = next;
        }
        if (value === undefined) {
            return true;
        }
        if (node !== null && typeof node === "object") {
            throw new Error(`${JSON.stringify(path)} has a non-primitive value (${JSON.stringify(node)})`);
        }
        return String(node) === value;
    };
}

/** `.name`, `['name']`, `["name"]` and `[index]`: names with dots and slashes go in brackets. */
function parseSegments(path: string): (string | number)[] {
    const segments: (string | number)[] = [];
    const token = /^(?:\.([A-Za-z_][A-Za-z0-9_-]*)|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\])/;
    let rest = path;
    while (rest !== "") {
        const m = token.exec(rest);
        if (!m) {
            throw new Error(`a JSONPath this Applier does not read: ${JSON.stringify(path)} at ${JSON.stringify(rest)}`);
        }
        const quoted = m[2] ?? m[3];
        segments.push(m[1] ?? (quoted !== undefined ? quoted.replace(/\\(.)/g, "$1") : Number(m[4])));
        rest = rest.slice(m[0].length);
    }
    return segments;
}

/** `condition=Type` or `condition=Type=Status` (default True), both compared without case. */
export function statusCondition(expression: string): Condition {
    const body = expression.slice("condition=".length);
    const at = body.indexOf("=");
    const [type, status] = at === -1 ? [body, "True"] : [body.slice(0, at), body.slice(at + 1)];
    return (o) => {
        for (const c of (o.status?.conditions ?? []) as Json[]) {
            if (typeof c.type !== "string" || c.type.toLowerCase() !== type.toLowerCase() || typeof c.status !== "string") {
                continue;
            }
            const observed = c.observedGeneration ?? o.status?.observedGeneration;
            if (o.metadata?.generation !== undefined && observed !== undefined && observed < o.metadata.generation) {
                return false;
            }
            return c.status.toLowerCase() === status.toLowerCase();
        }
        return false;
    };
}

function generationObserved(o: Json): boolean {
    const generation = o.metadata?.generation;
    const observed = o.status?.observedGeneration;
    return generation === undefined || observed === undefined || observed >= generation;
}
