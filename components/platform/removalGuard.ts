// Removal guards: what makes Pulumi refuse to delete a team (or the platform) before it deletes any
// part of it. A protected Namespace alone would be refused last, after its fence and engine; a
// protected resource that depends on every part of the team is refused first, and then nothing it
// depends on is deleted (docs/upstream.md, "How the engine deletes"; test/program/offboarding.spec.ts).
//
// A guard is a `pulumi.Stash`: state only, nothing in the cluster or on GitHub. It must be a custom
// resource, since a component in `dependsOn` stands for its custom descendants only
// (docs/upstream.md, "Stash, and components in dependsOn").
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
