// Reading a Flux v1 Deployment: which container runs fluxd, its flags, and the repo it syncs.
import { isKind, objectsAt, Props, stringAt, stringsAt } from "./kubernetes";
import { fluxName } from "./platform";

/** fluxd's defaults for the flags the policies read. */
export const fluxdDefaults = {
    secretName: "flux-git-deploy",
    secretMountPath: "/etc/fluxd/ssh",
};

/** A Deployment named flux: how the platform (and Flux v1's own manifests) name every instance. */
export function isFluxDeployment(type: string, props: Props): boolean {
    return isKind(type, "apps", "Deployment") && stringAt(props, "metadata", "name") === fluxName;
}

export function containersOf(deployment: Props): Props[] {
    return objectsAt(deployment, "spec", "template", "spec", "containers");
}

/** The container that runs fluxd: the one given a --git-url, else the one named flux. */
export function fluxdContainer(deployment: Props): Props | undefined {
    const containers = containersOf(deployment);
    return containers.find((c) => commandLine(c).some((a) => a === "--git-url" || a.startsWith("--git-url="))) ??
        containers.find((c) => c.name === fluxName);
}

export function commandLine(container: Props): string[] {
    return [...stringsAt(container, "command"), ...stringsAt(container, "args")];
}

/** A flag's value, `--name=value` or `--name value`; the last one wins, as in fluxd's flag parser. */
export function flagValue(args: readonly string[], flag: string): string | undefined {
    let value: string | undefined;
    args.forEach((arg, i) => {
        if (arg.startsWith(`${flag}=`)) {
            value = arg.slice(flag.length + 1);
        } else if (arg === flag && i + 1 < args.length && !args[i + 1].startsWith("-")) {
            value = args[i + 1];
        }
    });
    return value;
}

/** A boolean flag: `--name` or `--name=true` sets it, `--name=false` clears it. */
export function flagIsSet(args: readonly string[], flag: string): boolean {
    let set = false;
    for (const arg of args) {
        if (arg === flag) {
            set = true;
        } else if (arg.startsWith(`${flag}=`)) {
            set = ["true", "1", "t"].includes(arg.slice(flag.length + 1).toLowerCase());
        }
    }
    return set;
}

/**
 * The repository name in a git URL (`git@github.com:org/repo.git`, `ssh://git@host/org/repo`),
 * lowercased as GitHub compares names.
 */
export function repoOfGitUrl(url: string): string | undefined {
    const last = url.replace(/\/+$/, "").split(/[/:]/).pop();
    return last ? last.replace(/\.git$/, "").toLowerCase() : undefined;
}
