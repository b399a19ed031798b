// No account a tenant's Kustomization impersonates is bound to cluster-wide write rights: under
// the Flux lockdown everything a team's repo holds is applied as that account, so its rights are
// the team's, and they must end at the team's namespace.
import { StackValidationPolicy } from "@pulumi/policy";
import { impersonatedAccount, isKustomization, isTenantKustomization } from "./fluxV2";
import { isKind, known, objectName, objectsAt, Props, rbacGroup, stringAt } from "./kubernetes";
import { systemNamespace } from "./platform";
import { roleOf, writeRights } from "./teamFluxClusterRights";

interface Account {
    readonly namespace: string;
    readonly name: string;
}

/** The tenant accounts a ClusterRoleBinding subject covers: by name, by user name, or through their groups. */
export function tenantAccountsOf(subject: Props, accounts: readonly Account[]): Account[] {
    const name = stringAt(subject, "name") ?? "";
    switch (subject.kind) {
        case "ServiceAccount":
            return accounts.filter((a) => a.name === name && a.namespace === stringAt(subject, "namespace"));
        case "User":
            return accounts.filter((a) => name === `system:serviceaccount:${a.namespace}:${a.name}`);
        case "Group":
            // k8s.io/apiserver pkg/authentication/serviceaccount/util.go, MakeGroupNames.
            if (name === "system:authenticated" || name === "system:serviceaccounts") {
                return [...accounts];
            }
            return accounts.filter((a) => name === `system:serviceaccounts:${a.namespace}`);
        default:
            return [];
    }
}

export const tenantAccountClusterRights: StackValidationPolicy = {
    name: "flux2-tenant-account-no-cluster-write",
    description: `No ServiceAccount that a Kustomization outside ${systemNamespace} impersonates is bound by a ` +
        "ClusterRoleBinding to a ClusterRole with verbs beyond get, list and watch, or to one the stack does not define.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const accounts = args.resources
            .filter((r) => isKustomization(r.type) && isTenantKustomization(r.props))
            .map((r) => impersonatedAccount(r.props))
            .filter((a): a is Account => a !== undefined && a.namespace !== systemNamespace);
        if (accounts.length === 0) {
            return;
        }
        const roles = args.resources.filter((r) => isKind(r.type, rbacGroup, "ClusterRole"));
        for (const binding of args.resources.filter((r) => isKind(r.type, rbacGroup, "ClusterRoleBinding"))) {
            const covered = objectsAt(binding.props, "subjects").flatMap((s) => tenantAccountsOf(s, accounts));
            if (covered.length === 0) {
                continue;
            }
            const who = [...new Set(covered.map((a) => `${a.namespace}/${a.name}`))].join(", ");
            const roleName = known(() => stringAt(binding.props, "roleRef", "name")) ?? "(known after update)";
            const role = roleOf(binding, roles);
            if (!role) {
                reportViolation(`ClusterRoleBinding ${objectName(binding.props)} binds the Flux v2 tenant account ${who} to ` +
                    `ClusterRole ${roleName}, which this stack does not define, so nothing shows it is read-only; a tenant's ` +
                    "account gets its rights through a RoleBinding in its own namespace.", binding.urn);
                continue;
            }
            const rights = writeRights(role.props);
            if (rights.length > 0) {
                reportViolation(`ClusterRoleBinding ${objectName(binding.props)} gives the Flux v2 tenant account ${who} ` +
                    `cluster-wide write rights through ClusterRole ${objectName(role.props)}: ${rights.join("; ")}. Everything ` +
                    "the team's repo holds is applied as that account; bind it only inside its own namespace.", binding.urn);
            }
        }
    },
};
