// The CEL of the TenantGuard's bindings policy: a team cannot give its namespace away.
import { AdmissionCel, judgedCondition } from "./tenantGuardCel";

/**
 * A subject a binding in the team namespace may name: a ServiceAccount of that namespace (one
 * without a namespace is the binding's own, k8s.io/kubernetes v1.37.2
 * pkg/registry/rbac/validation/rule.go, appliesToUser), or the group of all of them.
 */
const ownSubject = "(s.kind == 'ServiceAccount' && (!has(s.namespace) || s.namespace == '' || s.namespace == request.namespace)) || " +
    "(s.kind == 'Group' && s.name == 'system:serviceaccounts:' + request.namespace)";

/**
 * RBAC's own check on a RoleBinding asks only whether the writer holds what it grants, or may
 * `bind` the role (k8s.io/kubernetes v1.37.2 pkg/registry/rbac/rolebinding/policybased/storage.go,
 * BindingAuthorized): it puts no limit on the subjects. A team's engine holds every right in its
 * namespace, so without this it could hand them (the tenant role, `admin`, `cluster-admin` bound
 * in the namespace) to `system:anonymous`, `system:authenticated`, a person or another team's
 * account. A RoleBinding written by anyone judged (see `judged`) in a team namespace may name only
 * that namespace's ServiceAccounts. People are given rights in a team namespace by the cluster
 * admins (their repo's sync holds cluster-admin, so it is not judged), not by the team.
 */
export function teamBindingsCel(): AdmissionCel {
    return {
        matchConditions: [judgedCondition],
        variables: [],
        validations: [{
            expression: `!has(object.subjects) || object.subjects.all(s, ${ownSubject})`,
            messageExpression: `"RoleBinding " + request.name + " in " + request.namespace + " may name only " + request.namespace + ` +
                `"'s own ServiceAccounts, not " + object.subjects.filter(s, !(${ownSubject})).map(s, s.kind + " " + s.name).join(", ") + ` +
                `": " + request.userInfo.username + " may not give the namespace away"`,
        }],
    };
}
