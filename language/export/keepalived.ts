// keepalived.conf per VIP member: one vrrp_instance per VIP the host takes part in, after
// Kolla-Ansible's keepalived.conf.j2: every member `state BACKUP` with `nopreempt` unless the VIP
// says `preempt`, the interface from the model, the modelled VRID, priority and advert interval,
// unicast peers when modelled, gratuitous ARP refreshed while MASTER, and haproxy tracked: when
// haproxy dies the instance goes to FAULT and the VIP moves (DOMAIN.md §5, [KA-MAN]).
// A track script, not track_process: track_process needs the kernel's process-event connector,
// which network namespaces and many containers refuse (seen: "Failed to set/clear process event listen").

import type { Host, TopologyModel, Vip } from '../model/model.js';
import { header, hostFolder, type ExportFile } from './export-file.js';

/** Seconds between gratuitous ARPs while MASTER, so switches keep the VIP's MAC ([KA-MAN] example value). */
const GARP_MASTER_REFRESH = 60;

export function exportKeepalived(model: TopologyModel): ExportFile[] {
    const byHost = new Map<Host, Vip[]>();
    for (const vip of model.vips)
        for (const member of vip.members) byHost.set(member.host, [...(byHost.get(member.host) ?? []), vip]);
    const tracksHaproxy = (host: Host) => model.haproxies.some(haproxy => haproxy.nodes.includes(host));
    return [...byHost].map(([host, vips]) => ({
        path: `${hostFolder(host.name)}/keepalived.conf`,
        content: keepalivedConfig(host, vips, tracksHaproxy(host))
    }));
}

/** A member's interface: the VIP's when it names one, else the host's own. */
export function vrrpInterface(vip: Vip, host: Host): string {
    return vip.interfaceWritten ? vip.interface : host.interface;
}

function keepalivedConfig(host: Host, vips: Vip[], trackHaproxy: boolean): string {
    const lines = [
        header(`keepalived.conf for ${host.name}`, '/etc/keepalived/keepalived.conf'),
        'global_defs {',
        `    router_id ${host.name}`,
        '    enable_script_security',
        '    script_user root',
        '}',
        ''
    ];
    // weight 0: after `fall` failures the instance goes to FAULT and gives the VIP up.
    if (trackHaproxy)
        lines.push(
            'vrrp_script chk_haproxy {',
            '    script "/usr/bin/pgrep -x haproxy"',
            '    interval 2',
            '    fall 2',
            '    rise 2',
            '}',
            ''
        );
    for (const vip of vips) {
        const me = vip.members.find(member => member.host === host)!;
        const prefix = host.zone?.subnet?.prefix ?? host.region.subnet?.prefix ?? 32;
        const device = vrrpInterface(vip, host);
        lines.push(
            `vrrp_instance ${vip.name} {`,
            `    state ${vip.nopreempt ? 'BACKUP' : me.state.toUpperCase()}`,
            ...(vip.nopreempt ? ['    nopreempt'] : []),
            `    interface ${device}`,
            `    virtual_router_id ${vip.vrid}`,
            `    priority ${me.priority}`,
            `    advert_int ${vip.advertSeconds}`,
            `    garp_master_refresh ${GARP_MASTER_REFRESH}`
        );
        if (vip.unicast) {
            lines.push(
                `    unicast_src_ip ${host.address}`,
                '    unicast_peer {',
                ...vip.members.filter(member => member.host !== host).map(member => `        ${member.host.address}`),
                '    }'
            );
        }
        lines.push('    virtual_ipaddress {', `        ${vip.address}/${prefix} dev ${device}`, '    }');
        if (trackHaproxy) lines.push('    track_script {', '        chk_haproxy', '    }');
        lines.push('}', '');
    }
    return lines.join('\n');
}
