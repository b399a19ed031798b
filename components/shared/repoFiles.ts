// Paths of starting files in a repo, relative to the directory an engine syncs.

/** `file` inside `path`; "" is the repo's root. */
export function under(path: string, file: string): string {
    return path === "" ? file : `${path}/${file}`;
}

/** A kustomization.yaml: the comment lines, then the Kustomization with these fields (YAML lines). */
export function kustomizationFile(comment: readonly string[], fields: readonly string[]): string {
    return [
        ...comment.map((line) => `# ${line}`),
        "apiVersion: kustomize.config.k8s.io/v1beta1",
        "kind: Kustomization",
        ...fields,
        "",
    ].join("\n");
}

/** The `common` directory every cluster repo starts with, under the synced path. */
export function clusterCommonFiles(path: string): Record<string, string> {
    return {
        [under(path, "common/kustomization.yaml")]: kustomizationFile(
            ["Add CRDs and cluster roles that teams ask for here, one file each."], ["resources: []"]),
    };
}
