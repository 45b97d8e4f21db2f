import type { IConstruct } from 'constructs';
import { acknowledge } from '../acknowledge.js';

/**
 * The data services' security groups admit the VPC's own CIDR, which the stack reads from the
 * network stack through an SSM parameter. The open-ingress check (AwsSolutions-EC23) cannot read a
 * parameter's value and reports that as an error; the peer is never 0.0.0.0/0 nor ::/0.
 */
export function acknowledgeVpcPeer(securityGroup: IConstruct): void {
  acknowledge(securityGroup, {
    id: 'AwsSolutions-EC23',
    reason: "Ingress comes only from the stage VPC's CIDR, read from the network stack through SSM at deploy time, which the check cannot resolve.",
  });
}
