// No team's Flux may be bound to cluster-wide write rights: a team's Flux writes only inside its
// namespace (Role + RoleBinding); cluster-wide it may only read.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { at, isKind, known, objectName, objectsAt, Props, rbacGroup, stringAt, stringsAt } from "./kubernetes";
import { fluxName, systemNamespace } from "./platform";

const readVerbs = ["get", "list", "watch"];

/**
 * The team Flux instances a ClusterRoleBinding subject covers, by namespace: the ServiceAccount
 * flux of any namespace but flux-system, and the groups that contain it. Empty when none.
 */
export function teamFluxesOf(subject: Props): string[] {
    const namespace = stringAt(subject, "namespace");
    const name = stringAt(subject, "name") ?? "";
    switch (subject.kind) {
        case "ServiceAccount":
            return name === fluxName && namespace !== systemNamespace ? [namespace ?? "(no namespace)"] : [];
        case "User": {
            const [, ns, account] = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(name) ?? [];
            return account === fluxName && ns !== systemNamespace ? [ns] : [];
        }
        case "Group": {
            if (name === "system:authenticated" || name === "system:serviceaccounts") {
                return ["every namespace"];
            }
            const [, ns] = /^system:serviceaccounts:([^:]+)$/.exec(name) ?? [];
            return ns !== undefined && ns !== systemNamespace ? [ns] : [];
        }
        default:
            return [];
    }
}

/** What a ClusterRole allows beyond reading, for the message; empty when it is read-only. */
export function writeRights(clusterRole: Props): string[] {
    if (at(clusterRole, "aggregationRule") !== undefined) {
        return ["rules aggregated from other cluster roles, which cannot be checked"];
    }
    return objectsAt(clusterRole, "rules").flatMap((rule) => {
        const verbs = stringsAt(rule, "verbs").filter((v) => !readVerbs.includes(v));
        if (verbs.length === 0) {
            return [];
        }
        const groups = at(rule, "apiGroups") === undefined ? [""] : stringsAt(rule, "apiGroups");
        const on = at(rule, "nonResourceURLs") !== undefined
            ? stringsAt(rule, "nonResourceURLs")
            : stringsAt(rule, "resources").map((r) => `${groups.map((g) => g === "" ? "core" : g).join("|")}/${r}`);
        return [`${verbs.join(",")} on ${on.join(",")}`];
    });
}

/** The ClusterRole a binding refers to: by name, or through the output it took the name from; undefined when the stack defines none. */
export function roleOf(binding: PolicyResource, roles: readonly PolicyResource[]): PolicyResource | undefined {
    const name = known(() => stringAt(binding.props, "roleRef", "name"));
    return roles.find((r) => name !== undefined && known(() => stringAt(r.props, "metadata", "name")) === name) ??
        (binding.propertyDependencies.roleRef ?? []).find((d) => isKind(d.type, rbacGroup, "ClusterRole"));
}

export const teamFluxClusterRights: StackValidationPolicy = {
    name: "team-flux-no-cluster-write",
    description: "No team's Flux is bound to cluster-wide write rights: a ClusterRoleBinding may give a team's " +
        "ServiceAccount flux only a ClusterRole of this stack whose verbs are get, list and watch.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const roles = args.resources.filter((r) => isKind(r.type, rbacGroup, "ClusterRole"));
        for (const binding of args.resources.filter((r) => isKind(r.type, rbacGroup, "ClusterRoleBinding"))) {
            const teams = objectsAt(binding.props, "subjects").flatMap(teamFluxesOf);
            if (teams.length === 0) {
                continue;
            }
            const who = `the Flux of ${teams.join(", ")}`;
            const roleName = known(() => stringAt(binding.props, "roleRef", "name")) ?? "(known after update)";
            const role = roleOf(binding, roles);
            if (!role) {
                reportViolation(`ClusterRoleBinding ${objectName(binding.props)} binds ${who} to ClusterRole ` +
                    `${roleName}, which this stack does not define, so nothing shows it is read-only; bind a ` +
                    "team's Flux only to a read-only ClusterRole the platform defines.", binding.urn);
                continue;
            }
            const rights = writeRights(role.props);
            if (rights.length > 0) {
                reportViolation(`ClusterRoleBinding ${objectName(binding.props)} gives ${who} cluster-wide write ` +
                    `rights through ClusterRole ${objectName(role.props)}: ${rights.join("; ")}. A team's Flux may ` +
                    "write only in its own namespace, through a Role and RoleBinding there.", binding.urn);
            }
        }
    },
};
