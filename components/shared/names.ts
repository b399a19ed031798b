// Labels every Kubernetes object of the platform carries, so `kubectl get -l` finds them and
// policies can select them.

export const partOfLabel = "app.kubernetes.io/part-of";
/** The value of partOfLabel that marks an object as the platform's (admission policies rely on it). */
export const platformPartOf = "gitops-platform";
export const managedByLabel = "app.kubernetes.io/managed-by";
/** On a team's namespace and everything the platform puts in it. */
export const teamLabel = "gitops-platform/team";

export function platformLabels(component: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
    return {
        "app.kubernetes.io/name": component,
        [partOfLabel]: platformPartOf,
        [managedByLabel]: "pulumi",
        ...extra,
    };
}
