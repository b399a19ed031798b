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
/** On a team's namespace: the Pod Security level the team asked for, whatever is enforced. */
export const requestedLevelLabel = "gitops-platform/pod-security";
/** The prefix of Pod Security Admission's namespace labels. */
export const podSecurityLabelPrefix = "pod-security.kubernetes.io";

export function platformLabels(component: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
    return {
        "app.kubernetes.io/name": component,
        [partOfLabel]: platformPartOf,
        [managedByLabel]: "pulumi",
        ...extra,
    };
}

/** The TeamGuard's ValidatingAdmissionPolicies (and their bindings), cluster-wide. */
export const teamGuardPolicyNames = {
    platformObjects: "gitops-platform-objects",
    restrictedPods: "gitops-platform-restricted-pods",
    teamNamespaces: "gitops-platform-team-namespaces",
    teamBindings: "gitops-platform-team-bindings",
    platformKinds: "gitops-platform-kinds",
} as const;

/** What fences a team in, in its namespace. */
export const teamFenceNames = {
    quota: "platform-quota",
    /** The counts of the engines' and Flagger's kinds (TeamFence). */
    customQuota: "platform-quota-custom",
    limits: "platform-defaults",
    network: "platform-isolation",
} as const;
