// Flux's own schemas, from @kubernetes-models/flux-cd (generated from the controllers' API types),
// to validate every Flux object the program creates.
//
// The package is ESM only and exports its files for `import` alone, which the specs' CommonJS
// cannot name; Node (20.19 and later) loads an ES module file by path with require, so the model
// files are loaded from where npm put the package.
import { strict as assert } from "assert";
import * as path from "path";

interface Model {
    validate(): void;
}
type ModelClass = new (data: unknown) => Model;

const packageDir = path.join(__dirname, "..", "..", "node_modules", "@kubernetes-models", "flux-cd");

function load(apiVersion: string, kind: string): ModelClass {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(path.join(packageDir, apiVersion, `${kind}.js`)) as Record<string, ModelClass>;
    const model = module[kind];
    assert.ok(model, `@kubernetes-models/flux-cd has no ${apiVersion} ${kind}`);
    return model;
}

/** Throws with the schema's message when `object` is not a valid `apiVersion` `kind`. */
export function validateFluxObject(object: { apiVersion: string; kind: string; metadata?: unknown; spec?: unknown }): void {
    const Model = load(object.apiVersion, object.kind);
    new Model(object).validate();
}

type Path = (string | number)[];

function leaves(value: unknown, at: Path = []): Path[] {
    if (Array.isArray(value)) {
        return value.flatMap((v, i) => leaves(v, [...at, i]));
    }
    if (typeof value === "object" && value !== null) {
        return Object.entries(value).flatMap(([k, v]) => leaves(v, [...at, k]));
    }
    return [at];
}

function withWrongTypeAt(object: unknown, at: Path): unknown {
    const copy = structuredClone(object) as any;
    let node = copy;
    for (const key of at.slice(0, -1)) {
        node = node[key];
    }
    const last = at[at.length - 1];
    node[last] = typeof node[last] === "string" ? 12345 : "not-the-schema-type";
    return copy;
}

/**
 * The schemas do not reject fields they do not know (a misspelt field would pass `validate()`),
 * so each field the object sets under `spec` and `metadata` is given a value of the wrong type
 * in turn: the schema must then reject it, which shows it knows the field.
 */
export function assertEveryFieldKnown(object: { apiVersion: string; kind: string; metadata?: unknown; spec?: unknown }): void {
    const Model = load(object.apiVersion, object.kind);
    new Model(object).validate();
    for (const part of ["metadata", "spec"] as const) {
        for (const at of leaves(object[part], [part])) {
            assert.throws(() => new Model(withWrongTypeAt(object, at)).validate(),
                `${object.kind} ${at.join(".")} is not a field of Flux's schema`);
        }
    }
}
