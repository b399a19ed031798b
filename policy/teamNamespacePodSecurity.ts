// Every team namespace enforces a Pod Security Standard, so a team cannot run privileged pods
// unless the platform says so for that team.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { isKind, labelsOf, objectName } from "./kubernetes";
import { teamLabel } from "./platform";

/** Pod Security Admission's namespace labels. */
export const podSecurityPrefix = "pod-security.kubernetes.io";
const prefix = podSecurityPrefix;
const levels = ["privileged", "baseline", "restricted"];

export const teamNamespacePodSecurity: ResourceValidationPolicy = {
    name: "team-namespace-pod-security",
    description: `Every team namespace (label ${teamLabel}) carries ${prefix}/enforce set to a Pod Security ` +
        "Standard level: privileged, baseline or restricted.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (!isKind(args.type, "core", "Namespace")) {
            return;
        }
        const labels = labelsOf(args.props);
        if (labels[teamLabel] === undefined) {
            return;
        }
        const namespace = objectName(args.props);
        const enforce = labels[`${prefix}/enforce`];
        if (enforce === undefined) {
            reportViolation(`team namespace ${namespace} has no ${prefix}/enforce label: without it the cluster's ` +
                `default applies, usually privileged. Set it to ${levels.join(", ")}.`);
        }
        for (const mode of ["enforce", "warn", "audit"]) {
            const value = labels[`${prefix}/${mode}`];
            if (value !== undefined && !levels.includes(value)) {
                reportViolation(`team namespace ${namespace} has ${prefix}/${mode}=${JSON.stringify(value)}, ` +
                    `which is not a Pod Security Standard level (${levels.join(", ")}).`);
            }
        }
    },
};
