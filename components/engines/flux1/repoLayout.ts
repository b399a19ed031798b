// The starting layout of the repos, as the seed describes it: what Flux v1 needs to find so that
// its first sync succeeds on an otherwise empty repo. Written once; the teams own it afterwards.
import { clusterCommonFiles, kustomizationFile, under } from "../../shared/repoFiles";

/** The cluster admins' repo: Flux runs `kustomize build` in `path` and applies the result. */
export function clusterRepoLayout(path: string): Record<string, string> {
    return {
        ".flux.yaml": [
            "# Read by the system Flux: build the manifests with kustomize, then apply them.",
            "version: 1",
            "commandUpdated:",
            "  generators:",
            "    - command: kustomize build .",
            "",
        ].join("\n"),
        [under(path, "kustomization.yaml")]: kustomizationFile([
            "Cluster-wide objects: CRDs, cluster roles, shared controllers.",
            "Teams, their namespaces and their Flux instances are managed by the platform program",
            "(pulumi), not from this repo.",
        ], [
            "resources:",
            "  - common",
        ]),
        ...clusterCommonFiles(path),
    };
}

/** A team's repo: kustomize puts everything in the team's namespace; Flux records image updates in flux-patch.yaml. */
export function teamRepoLayout(team: string, path: string): Record<string, string> {
    return {
        [under(path, ".flux.yaml")]: [
            `# Read by ${team}'s Flux: build with kustomize, apply the image-update patches Flux`,
            "# records in flux-patch.yaml, then apply the result to the namespace.",
            "version: 1",
            "patchUpdated:",
            "  generators:",
            "    - command: kustomize build .",
            "  patchFile: flux-patch.yaml",
            "",
        ].join("\n"),
        [under(path, "kustomization.yaml")]: kustomizationFile([
            `Everything listed here is deployed to the ${team} namespace, and only there.`,
        ], [
            `namespace: ${team}`,
            "resources: []",
            "#  - workloads/frontend",
            "#  - workloads/backend",
        ]),
        [under(path, "flux-patch.yaml")]: [
            "# Flux writes its image-update policies and automated image bumps here as patches",
            "# (annotations such as fluxcd.io/automated: \"true\" on a Deployment). Edit with fluxctl",
            "# or by hand.",
            "",
        ].join("\n"),
    };
}
