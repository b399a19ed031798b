// What changes between two runs of the program: what `pulumi preview` would show as creates,
// deletes and updates, resource by resource.
import { strict as assert } from "assert";
import { Created, ProgramRun, runProgram } from "./harness";
import { watchMonitor } from "./sdkInternals";
import { EngineUrns, watchEngineUrns } from "./urns";

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

// What the engine would do, step by step, when a stack recorded as `before` runs the program of
// `after`. The comparison above goes by type and name; the engine goes by URN and takes a
// resource over through its aliases, so a renamed resource with an alias is the same resource,
// updated or replaced. A replacement is delete-before-replace when the resource's options say so,
// or else when its provider asks for it (pulumi v3.248.0 pkg/resource/deploy/step_generator.go:
// the `deleteBeforeReplace` option, when set, wins over the provider's answer). A resource is
// replaced too when its `replacementTrigger` changes from one recorded value to another (a null on
// either side is none: `shouldTriggerReplace`), and a replaced resource's outputs are new, so every
// resource that takes them sees its inputs change.

/** Types whose provider answers every replacement with delete-before-replace. */
const providerDeletesBeforeReplace = new Set([
    // pulumi-github v6.15.0 provider/resources.go: `github_repository_deploy_key` has `DeleteBeforeReplace: true`.
    "github:index/repositoryDeployKey:RepositoryDeployKey",
]);

/** Types of which any change of input is a replacement (every field ForceNew). */
const replacedOnAnyChange = new Set([
    // terraform-provider-github v6.13.0 github/resource_github_repository_deploy_key.go: key,
    // read_only, repository and title are all ForceNew.
    "github:index/repositoryDeployKey:RepositoryDeployKey",
]);

interface Registration {
    readonly urn: string;
    readonly accepted: ReadonlySet<string>;
    /** The `deleteBeforeReplace` option, when the program set it. */
    readonly deleteBeforeReplace?: boolean;
    /** The `replacementTrigger` option, as JSON, when the program set it. */
    readonly replacementTrigger?: string;
}

/** A program run with each custom resource's registration as the engine would see it, by `type::name`. */
export interface EngineRun {
    readonly run: ProgramRun;
    readonly registrations: ReadonlyMap<string, Registration>;
}

interface DeleteBeforeReplaceRequest {
    getType(): string;
    getName(): string;
    getDeletebeforereplace(): boolean;
    getDeletebeforereplacedefined(): boolean;
    hasReplacementTrigger(): boolean;
    getReplacementTrigger(): { toJavaScript(): unknown } | undefined;
}

/** Runs the program as runProgram does, recording what the engine needs to plan the next run. */
export async function runForEngine(config: Record<string, unknown>, secretKeys: string[] = []): Promise<EngineRun> {
    let urns: (() => EngineUrns) | undefined;
    const deleteBeforeReplace = new Map<string, boolean>();
    const replacementTrigger = new Map<string, string>();
    const run = await runProgram(config, secretKeys, undefined, () => {
        urns = watchEngineUrns("test", "platform");
        watchMonitor((request) => {
            const req = request as unknown as DeleteBeforeReplaceRequest;
            if (req.getDeletebeforereplacedefined()) {
                deleteBeforeReplace.set(`${req.getType()}::${req.getName()}`, req.getDeletebeforereplace());
            }
            if (req.hasReplacementTrigger()) {
                replacementTrigger.set(`${req.getType()}::${req.getName()}`, JSON.stringify(req.getReplacementTrigger()!.toJavaScript()));
            }
        });
    });
    const engine = urns!();
    const registrations = new Map<string, Registration>();
    for (const urn of engine.urns) {
        const parts = urn.split("::");
        const chain = parts[2];
        const id = `${chain.slice(chain.lastIndexOf("$") + 1)}::${parts.slice(3).join("::")}`;
        registrations.set(id, {
            urn, accepted: engine.accepted.get(urn)!, deleteBeforeReplace: deleteBeforeReplace.get(id), replacementTrigger: replacementTrigger.get(id),
        });
    }
    return { run, registrations };
}

export interface PlannedStep {
    /** `same`: taken over through an alias, unchanged. */
    readonly op: "create" | "same" | "update" | "replace" | "delete";
    /** `type::name`: the new resource, or for a delete the old one. */
    readonly resource: string;
    /** For an update or a replacement: the old resource it takes over, when it had another name. */
    readonly from?: string;
    readonly deleteBeforeReplace?: boolean;
}

export interface EnginePlan {
    /** In the order the program registers: creates, updates, replacements (a delete-before-replace is its delete, then its create). */
    readonly during: readonly PlannedStep[];
    /** Once the program has registered everything: deletes of what it no longer has, and of what was replaced create-before-delete. */
    readonly after: readonly PlannedStep[];
}

export function plan(before: EngineRun, after: EngineRun): EnginePlan {
    const oldByUrn = new Map([...before.registrations].map(([id, r]) => [r.urn, id]));
    const inputsOf = (engineRun: EngineRun, id: string) => engineRun.run.recording.resources.find((r) => resourceId(r) === id)?.inputs;
    const dependenciesOf = (id: string) => after.run.recording.resources.find((r) => resourceId(r) === id)?.dependsOn ?? [];
    const taken = new Set<string>();
    /** Names of the resources replaced so far: their outputs are new. */
    const replaced = new Set<string>();
    const during: PlannedStep[] = [];
    const afterwards: PlannedStep[] = [];
    // In the order the program registered them, so that a replacement is known to what takes its outputs.
    const order = after.run.recording.resources.map(resourceId).filter((id) => after.registrations.has(id));
    for (const id of new Set([...order, ...after.registrations.keys()])) {
        const registration = after.registrations.get(id)!;
        const oldUrn = [registration.urn, ...registration.accepted].find((urn) => oldByUrn.has(urn) && !taken.has(oldByUrn.get(urn)!));
        if (oldUrn === undefined) {
            during.push({ op: "create", resource: id });
            continue;
        }
        const oldId = oldByUrn.get(oldUrn)!;
        taken.add(oldId);
        const from = oldId === id ? {} : { from: oldId };
        const type = id.slice(0, id.indexOf("::"));
        const oldTrigger = before.registrations.get(oldId)!.replacementTrigger;
        const triggered = oldTrigger !== undefined && registration.replacementTrigger !== undefined && oldTrigger !== registration.replacementTrigger;
        const changed = [...differences(inputsOf(before, oldId), inputsOf(after, id)), ...dependenciesOf(id).filter((d) => replaced.has(d))];
        if (triggered) {
            replaced.add(id.slice(id.indexOf("::") + 2));
            during.push({ op: "replace", resource: id, ...from, deleteBeforeReplace: false });
            afterwards.push({ op: "delete", resource: oldId });
            continue;
        }
        if (changed.length === 0) {
            if (oldId !== id) {
                during.push({ op: "same", resource: id, ...from });
            }
            continue;
        }
        if (!replacedOnAnyChange.has(type)) {
            during.push({ op: "update", resource: id, ...from });
            continue;
        }
        replaced.add(id.slice(id.indexOf("::") + 2));
        const deleteBeforeReplace = registration.deleteBeforeReplace ?? providerDeletesBeforeReplace.has(type);
        if (deleteBeforeReplace) {
            during.push({ op: "delete", resource: oldId }, { op: "replace", resource: id, ...from, deleteBeforeReplace });
        } else {
            during.push({ op: "replace", resource: id, ...from, deleteBeforeReplace });
            afterwards.push({ op: "delete", resource: oldId });
        }
    }
    for (const id of before.registrations.keys()) {
        if (!taken.has(id)) {
            afterwards.push({ op: "delete", resource: id });
        }
    }
    return { during, after: afterwards };
}
