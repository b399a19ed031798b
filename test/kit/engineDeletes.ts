// What `pulumi up` deletes, and what it refuses to, when a run no longer registers resources the
// run before it did (`pulumi destroy` is a run that registers nothing). A model of the Pulumi
// engine's deletions (pulumi/pulumi v3.248.0), from the recorded dependencies, parents and
// `protect` of the run before, which is what the engine keeps in its state:
// - `pkg/resource/deploy/step_generator.go` `ScheduleDeletes`: antichains, each resource after
//   every condemned one that depends on it (dependencies and children,
//   `pkg/resource/graph/dependency_graph.go` `DependenciesOf`);
// - `pkg/resource/deploy/step.go` `DeleteStep.Apply`: a protected resource is refused;
// - `pkg/resource/deploy/step_executor.go` `cancelDueToError`: the run goes on past a refusal;
// - `pkg/resource/deploy/deployment_executor.go` `performPostSteps`: later antichains leave out
//   what a refused resource depends on, transitively (`TransitiveDependenciesOf`, parents included).
import { Created, ProgramRun } from "./harness";
import { resourceId } from "./runDiff";

export interface EngineDeletes {
    /** In the order the engine deletes them, one antichain after another. */
    readonly deleted: string[];
    /** Refused because they are protected. */
    readonly refused: string[];
    /** Condemned, but left alone because a refused resource depends on them. */
    readonly spared: string[];
    /** `deleted` by antichain: the engine runs one antichain's deletes at once, and the next only after. */
    readonly antichains: string[][];
}

export function engineDeletes(before: ProgramRun, after: ProgramRun): EngineDeletes {
    const resources = before.recording.resources;
    const byName = new Map<string, Created>();
    for (const r of resources) {
        if (byName.has(r.name)) {
            throw new Error(`two resources are named ${r.name}: the model finds dependencies by name`);
        }
        byName.set(r.name, r);
    }
    const dependenciesOf = (r: Created): Created[] => [...r.dependsOn, ...(r.parent ? [r.parent] : [])]
        .map((name) => byName.get(name)).filter((d): d is Created => d !== undefined);
    const registered = new Set(after.recording.resources.map(resourceId));
    const condemned = new Set(resources.filter((r) => !registered.has(resourceId(r))));

    const antichains: Created[][] = [];
    const left = new Set(condemned);
    while (left.size > 0) {
        const free = [...left].filter((r) => !dependenciesOf(r).some((d) => left.has(d)));
        if (free.length === 0) {
            throw new Error("a dependency cycle among the condemned resources");
        }
        free.forEach((r) => left.delete(r));
        antichains.push(free);
    }
    antichains.reverse();

    const transitiveDependencies = (r: Created, into: Set<Created>): void => {
        for (const d of dependenciesOf(r)) {
            if (!into.has(d)) {
                into.add(d);
                transitiveDependencies(d, into);
            }
        }
    };
    const deleted: Created[] = [];
    const refused: Created[] = [];
    const spared: Created[] = [];
    const deletedByAntichain: string[][] = [];
    const erroredDependencies = new Set<Created>();
    for (const antichain of antichains) {
        refused.forEach((r) => transitiveDependencies(r, erroredDependencies));
        const now: string[] = [];
        for (const r of antichain) {
            if (erroredDependencies.has(r)) {
                spared.push(r);
            } else if (r.protect) {
                refused.push(r);
            } else {
                deleted.push(r);
                now.push(resourceId(r));
            }
        }
        if (now.length > 0) {
            deletedByAntichain.push(now);
        }
    }
    return { deleted: deleted.map(resourceId), refused: refused.map(resourceId), spared: spared.map(resourceId), antichains: deletedByAntichain };
}
