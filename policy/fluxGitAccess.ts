// Every Flux instance can reach its repo safely: it mounts the git key Secret it is told to use,
// where fluxd looks for it, and a known_hosts, without which it trusts only the host keys baked
// into its image (GitHub rotated its RSA host key after Flux v1's last release).
import { ResourceValidationPolicy } from "@pulumi/policy";
import { commandLine, flagValue, fluxdContainer, fluxdDefaults, isFluxDeployment } from "./fluxd";
import { at, objectName, objectsAt, Props, stringAt } from "./kubernetes";

/** Where fluxd's ssh reads known_hosts: its home directory's .ssh (fluxd runs as root). */
export const knownHostsDir = "/root/.ssh";

/** Whether a volume can hold a known_hosts file: a ConfigMap or Secret projecting that path. */
function holdsKnownHosts(volume: Props | undefined): boolean {
    const source = at(volume, "configMap") ?? at(volume, "secret");
    if (source === undefined) {
        return false;
    }
    // Without items every key becomes a file, and the ConfigMap's keys are not in the Deployment.
    return at(source, "items") === undefined || objectsAt(source, "items").some((i) => i.path === "known_hosts");
}

export const fluxGitAccess: ResourceValidationPolicy = {
    name: "flux-git-secret-and-known-hosts",
    description: "Every Flux Deployment mounts the Secret named by its --k8s-secret-name where fluxd reads its git " +
        `key, and a known_hosts at ${knownHostsDir}.`,
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (!isFluxDeployment(args.type, args.props)) {
            return;
        }
        const deployment = objectName(args.props);
        const container = fluxdContainer(args.props);
        if (!container) {
            reportViolation(`Deployment ${deployment} has no fluxd container (none has --git-url or is named flux).`);
            return;
        }
        const flags = commandLine(container);
        const secretName = flagValue(flags, "--k8s-secret-name") ?? fluxdDefaults.secretName;
        const keyPath = flagValue(flags, "--k8s-secret-volume-mount-path") ?? fluxdDefaults.secretMountPath;
        const volumes = new Map(objectsAt(args.props, "spec", "template", "spec", "volumes").map((v) => [v.name, v]));
        const mounts = objectsAt(container, "volumeMounts");

        const keyMounted = mounts.some((m) => m.mountPath === keyPath &&
            stringAt(volumes.get(m.name), "secret", "secretName") === secretName);
        if (!keyMounted) {
            reportViolation(`Deployment ${deployment} does not mount Secret ${secretName} (its --k8s-secret-name) at ` +
                `${keyPath}: fluxd would generate a key of its own that no deploy key matches.`);
        }

        const knownHosts = mounts.some((m) =>
            (m.mountPath === knownHostsDir && holdsKnownHosts(volumes.get(m.name))) ||
            (m.mountPath === `${knownHostsDir}/known_hosts` && volumes.has(m.name)));
        if (!knownHosts) {
            reportViolation(`Deployment ${deployment} mounts no known_hosts at ${knownHostsDir}: fluxd would trust only the ` +
                "host keys in its image and refuse GitHub's current keys.");
        }
    },
};
