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

/**
 * A team's repo. The same for every team with the same path, so that a template repository can
 * carry it (see components/github/repoTemplate.ts): no team name in it. fluxd puts an object that
 * names no namespace into its kubeconfig's, the team's (docs/upstream.md, "Namespaces of a team's
 * objects"); one that names another is refused by the team Flux's RBAC.
 */
export function teamRepoLayout(path: string): Record<string, string> {
    return {
        [under(path, ".flux.yaml")]: [
            "# Read by the team's Flux: build with kustomize, apply the image-update patches Flux",
            "# records in flux-patch.yaml, then apply the result to the team's namespace.",
            "version: 1",
            "patchUpdated:",
            "  generators:",
            "    - command: kustomize build .",
            "  patchFile: flux-patch.yaml",
            "",
        ].join("\n"),
        [under(path, "kustomization.yaml")]: kustomizationFile([
            "Everything listed here is deployed to the team's namespace, and only there: an object",
            "without a namespace lands in it, and the team's Flux may change nothing elsewhere.",
        ], [
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
