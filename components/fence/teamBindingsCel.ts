// The CEL of the TeamGuard's bindings policy: a team cannot give its namespace away.
import { AdmissionCel, judgedCondition } from "./teamGuardCel";

/**
 * A subject a binding in the team namespace may name: a ServiceAccount of that namespace (one
 * without a namespace is the binding's own: docs/upstream.md, "RoleBindings"), or their group.
 */
const ownSubject = "(s.kind == 'ServiceAccount' && (!has(s.namespace) || s.namespace == '' || s.namespace == request.namespace)) || " +
    "(s.kind == 'Group' && s.name == 'system:serviceaccounts:' + request.namespace)";

/**
 * A RoleBinding written by anyone judged (`judged`) in a team namespace may name only that
 * namespace's ServiceAccounts. RBAC limits what a binding grants, not to whom (docs/upstream.md,
 * "RoleBindings"), and a team's engine holds every right there: it could hand them to anonymous,
 * anyone authenticated or another team. People get rights there from the cluster admins.
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
