// What changes between two runs of the program: what `pulumi preview` would show as creates,
// deletes and updates, resource by resource.
import { strict as assert } from "assert";
import { Created, ProgramRun } from "./harness";

/** Every place a string occurs in a value, with its path: where a secret could show. */
export function strings(value: unknown, at = ""): Array<[string, string]> {
    if (typeof value === "string") {
        return [[at, value]];
    }
    if (value && typeof value === "object") {
        return Object.entries(value).flatMap(([k, v]) => strings(v, `${at}.${k}`));
    }
    return [];
}

export const resourceId = (r: Created): string => `${r.type}::${r.name}`;

/** Paths at which two values differ, e.g. `.spec.template.metadata.annotations.x`. */
export function differences(a: unknown, b: unknown, at = ""): string[] {
    if (a && b && typeof a === "object" && typeof b === "object") {
        const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
        return [...keys].flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`));
    }
    return a === b ? [] : [at];
}

export interface RunDiff {
    readonly removed: string[];
    readonly added: string[];
    /** Per resource in both runs, the input paths that differ. */
    readonly changed: Record<string, string[]>;
}

export function compare(before: ProgramRun, after: ProgramRun): RunDiff {
    const old = new Map(before.recording.resources.map((r) => [resourceId(r), r]));
    const now = new Map(after.recording.resources.map((r) => [resourceId(r), r]));
    const changed: Record<string, string[]> = {};
    for (const [key, r] of now) {
        const previous = old.get(key);
        const paths = previous ? differences(previous.inputs, r.inputs) : [];
        if (paths.length > 0) {
            changed[key] = paths;
        }
    }
    return {
        removed: [...old.keys()].filter((k) => !now.has(k)),
        added: [...now.keys()].filter((k) => !old.has(k)),
        changed,
    };
}

/** `after` only adds `team`'s resources to `before`: nothing else is created, changed or deleted. */
export function assertOnlyAddsTeam(before: ProgramRun, after: ProgramRun, team: string): void {
    const diff = compare(before, after);
    assert.deepEqual(diff.changed, {}, "resources that existed changed");
    assert.deepEqual(diff.removed, [], "resources disappeared");
    assert.ok(diff.added.length > 0, "nothing was added");
    const own = new RegExp(`::platform-team-${team}(-|$)`);
    assert.deepEqual(diff.added.filter((k) => !own.test(k)), [], `resources that are not ${team}'s were added`);
}
