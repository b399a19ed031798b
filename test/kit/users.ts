// Who makes a request, as the API server's authenticators hand it on: a name and groups.

export interface UserInfo {
    readonly username: string;
    readonly groups: readonly string[];
}

/**
 * A pod's service account: `system:serviceaccount:<ns>:<name>`, in `system:serviceaccounts` and
 * `system:serviceaccounts:<ns>` (k8s.io/apiserver v0.36.3 pkg/authentication/serviceaccount/util.go,
 * MakeUsername and MakeGroupNames), and `system:authenticated` like every authenticated user
 * (pkg/authentication/group/authenticated_group_adder.go).
 */
export function serviceAccount(namespace: string, name: string): UserInfo {
    return {
        username: `system:serviceaccount:${namespace}:${name}`,
        groups: ["system:serviceaccounts", `system:serviceaccounts:${namespace}`, "system:authenticated"],
    };
}

/**
 * The platform itself: Pulumi with a cluster admin's kubeconfig, in `system:masters`, which the
 * bootstrap ClusterRoleBinding `cluster-admin` binds (rbac.ts, bootstrap).
 */
export const clusterAdmin: UserInfo = { username: "kubernetes-admin", groups: ["system:masters", "system:authenticated"] };
