// Removal guards: what makes Pulumi refuse to delete a team (or the platform) before it deletes any
// part of it, rather than after it has deleted the parts it could.
//
// How the Pulumi engine deletes what a program no longer registers (pulumi/pulumi v3.248.0):
// - `pkg/resource/deploy/step_generator.go` `ScheduleDeletes` orders the deletions in antichains:
//   a resource is deleted only after every resource that depends on it (its dependencies, property
//   dependencies and children, `pkg/resource/graph/dependency_graph.go` `DependenciesOf`).
// - `pkg/resource/deploy/step.go` `DeleteStep.Apply` refuses a protected resource, in a preview
//   too, with `deleteProtectedError`: `resource "<urn>" cannot be deleted because it is protected`.
// - `pkg/resource/deploy/step_executor.go` `cancelDueToError` goes on past that error (to report
//   every protected resource at once), and `pkg/resource/deploy/deployment_executor.go`
//   `performPostSteps` then leaves out of every later antichain the resources the refused one
//   depends on, transitively (`TransitiveDependenciesOf`).
// So a protected Namespace alone would be refused last: its quota, network policy, constraint and
// engine, which depend on it, would be deleted before, and the team's repo archived beside it. A
// protected resource that depends on every part of the team is refused first, and then nothing it
// depends on is deleted. That is the guard.
//
// A guard is a `pulumi.Stash` (`pkg/resource/deploy/builtins.go`, from the Pulumi CLI 3.208.0): a
// value kept in the stack's state, with no provider and nothing in the cluster or on GitHub. It must
// be a custom resource: a component in `dependsOn` stands for its custom descendants only
// (@pulumi/pulumi 3.248.0 `runtime/dependsOn.js`), so a guard without children would be lost to
// whoever depends on it.
import * as pulumi from "@pulumi/pulumi";

/** Where the user reads how to take a team, or the platform, apart. */
const offboardingSteps = "docs/operations.md, \"Offboarding a team\"";

/**
 * The team's guard, named so that the engine's refusal reads as what to do
 * (`...::platform-team-<team>-offboard-first" cannot be deleted because it is protected`).
 * Protected unless the team is offboarded; `parts` are the team's resources and components.
 */
export function teamRemovalGuard(name: string, team: string, protect: boolean, parts: readonly pulumi.Resource[],
    parent: pulumi.Resource, fleet = false): pulumi.Resource {
    // A fleet's cluster offboards a team on its own; the entry stays for the other clusters.
    const steps = fleet
        ? `set offboard: true in this stack's platform:teamOverrides.${team} and run pulumi up, then take this cluster ` +
            "out of the team's clusters (docs/clusters.md, \"Removing a team from one cluster\")"
        : `set offboard: true on its entry in platform:teams and run pulumi up, then remove the entry (${offboardingSteps})`;
    return new pulumi.Stash(name, {
        // Shown by `pulumi preview --diff` with the refused deletion; the same whether offboarded
        // or not, so offboarding changes only the protection.
        input: `Team ${team}: its namespace and everything in it. Remove it in two steps: ${steps}.`,
    }, { parent, protect, dependsOn: [...parts] });
}

/**
 * The platform's guard, for `pulumi destroy`: it depends on every team's guard (and so on every
 * team) and on what the platform installs once, so a destroy that would leave a team's namespace
 * standing deletes nothing at all. Protected while any team is not offboarded.
 */
export function platformRemovalGuard(name: string, protect: boolean, parts: Promise<readonly pulumi.Resource[]>,
    parent: pulumi.Resource): pulumi.Resource {
    const dependsOn: Promise<pulumi.Resource[]> = parts.then((resources) => [...resources]);
    return new pulumi.Stash(name, {
        input: "The platform, while any team is not offboarded. Tear it down in two steps: offboard every team " +
            "and run pulumi up, then pulumi destroy (docs/operations.md, \"Tearing the platform down\").",
    }, { parent, protect, dependsOn });
}
