// A write-enabled deploy key is a credential that can rewrite a repo's history. Flux v1 needs
// one only to push: its sync tag and image updates. With --git-readonly it pushes nothing, and a
// repo that no Flux of this stack syncs needs no write key from the platform at all. Flux v2 pushes
// only through image-automation-controller, so only when the FluxInstance installs it.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { commandLine, flagIsSet, flagValue, fluxdContainer, isFluxDeployment, repoOfGitUrl } from "./fluxd";
import { isFluxInstance, isGitRepository } from "./fluxV2";
import { objectName, stringAt, stringsAt } from "./kubernetes";
import { deployKeyType } from "./platform";

/** A Flux instance and the repo it syncs. */
interface FluxOfRepo {
    readonly deployment: string;
    /** Lowercased, as GitHub compares repository names. */
    readonly repo: string;
    readonly readOnly: boolean;
}

export function fluxesOf(resources: readonly PolicyResource[]): FluxOfRepo[] {
    return resources.filter((r) => isFluxDeployment(r.type, r.props)).flatMap((r) => {
        const container = fluxdContainer(r.props);
        const flags = container ? commandLine(container) : [];
        const url = flagValue(flags, "--git-url");
        const repo = url === undefined ? undefined : repoOfGitUrl(url);
        return repo === undefined ? [] : [{ deployment: objectName(r.props), repo, readOnly: flagIsSet(flags, "--git-readonly") }];
    });
}

/**
 * The repos a Flux v2 GitRepository of this stack syncs, and whether the FluxInstance installs
 * image-automation-controller, the one Flux v2 controller that pushes (ImageUpdateAutomation).
 * The stack does not say which team's automation is on, so then any such repo may hold a write key.
 */
export function fluxV2ReposOf(resources: readonly PolicyResource[]): { readonly synced: string[]; readonly pushes: boolean } {
    const pushes = resources.some((r) => isFluxInstance(r.type) && stringsAt(r.props, "spec", "components").includes("image-automation-controller"));
    const synced = resources.filter((r) => isGitRepository(r.type)).flatMap((r) => {
        const url = stringAt(r.props, "spec", "url");
        const repo = url === undefined ? undefined : repoOfGitUrl(url);
        return repo === undefined ? [] : [repo];
    });
    return { synced, pushes };
}

export const deployKeyWrite: StackValidationPolicy = {
    name: "deploy-key-write-only-where-flux-writes",
    description: "A GitHub deploy key is write-enabled only on a repo that a Flux of this stack syncs without " +
        "--git-readonly (Flux v1 pushes its sync tag and image updates), or that a Flux v2 GitRepository syncs " +
        "while the FluxInstance installs image-automation-controller; every other deploy key is read-only.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const fluxes = fluxesOf(args.resources);
        const fluxV2 = fluxV2ReposOf(args.resources);
        for (const key of args.resources.filter((r) => r.type === deployKeyType)) {
            // The GitHub provider makes a key read-only unless readOnly is false.
            if (key.props.readOnly !== false) {
                continue;
            }
            const repo = stringAt(key.props, "repository") ?? "(unknown repo)";
            const syncing = fluxes.filter((f) => f.repo === repo.toLowerCase());
            const syncedByFluxV2 = fluxV2.synced.includes(repo.toLowerCase());
            if (syncing.some((f) => !f.readOnly) || (syncedByFluxV2 && fluxV2.pushes)) {
                continue;
            }
            const why = syncedByFluxV2
                ? "its Flux v2 installs no image-automation-controller and never pushes"
                : syncing.length === 0
                ? `no Flux of this stack syncs ${repo}`
                : `${syncing.map((f) => `Flux ${f.deployment}`).join(" and ")} syncs it with --git-readonly and never pushes`;
            reportViolation(`deploy key "${stringAt(key.props, "title") ?? ""}" on ${repo} is write-enabled, but ${why}: set ` +
                "readOnly: true.", key.urn);
        }
    },
};
