// The names the platform gives what it installs: namespaces, labels, and (below) the names of
// objects that admission policies, the policy pack or users rely on. Written here once; the policy
// pack's copies are checked against this module by test/policies/pack.spec.ts.

/** The platform's system namespace: the engines' shared parts and the cluster admins' sync. */
export const systemNamespace = "flux-system";
/** Flagger and its Prometheus. */
export const flaggerNamespace = "flagger-system";
/** Gatekeeper. */
export const gatekeeperNamespace = "gatekeeper-system";

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
