// The starting layout of a repo synced by Flux v2: what kustomize-controller needs to find so that
// its first sync succeeds on an otherwise empty repo. Written once; the repo's owners own it after.
//
// kustomize-controller builds the synced path from its kustomization.yaml and reads no `.flux.yaml`
// (docs/upstream.md, "The objects a sync creates"): a team moving from Flux v1 deletes `.flux.yaml`
// and `flux-patch.yaml` (under Flux v2 image updates are ImageRepository, ImagePolicy and
// ImageUpdateAutomation objects in the repo) and keeps its kustomization.yaml.
import { clusterCommonFiles, kustomizationFile, under } from "../../shared/repoFiles";

/** The cluster admins' repo: applied with cluster-admin rights by the cluster sync. */
export function clusterRepoLayout(path: string): Record<string, string> {
    return {
        [under(path, "kustomization.yaml")]: kustomizationFile([
            "Cluster-wide objects: CRDs, cluster roles, shared controllers. Flux v2 applies what",
            "this file lists, with cluster-admin rights.",
            "Teams, their namespaces, Flux itself (the Flux Operator and its FluxInstance) are managed",
            "by the platform program (pulumi), not from this repo: a FluxInstance here would fight it.",
            "A Flux Kustomization or HelmRelease added here must name its serviceAccountName: Flux",
            "runs locked down for tenants, and one that names none has no rights.",
        ], [
            "resources:",
            "  - common",
        ]),
        ...clusterCommonFiles(path),
    };
}

/**
 * A team's repo. The same for every team with the same path, so that a template repository can
 * carry it: no team name in it. The repo's Kustomization (FluxV2) sets `targetNamespace`, which
 * puts every object it applies in the team's namespace.
 */
export function teamRepoLayout(path: string): Record<string, string> {
    return {
        [under(path, "kustomization.yaml")]: kustomizationFile([
            "Everything listed here is deployed to the team's namespace, and only there: Flux applies",
            "it into that namespace as the team's own account, which has rights there alone.",
        ], [
            "resources: []",
            "#  - workloads/frontend",
            "#  - workloads/backend",
        ]),
    };
}
