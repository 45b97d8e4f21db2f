"""
Deleting a stack does not delete its route tables, routes, gateways and their attachments.

Bug: moto has no CloudFormation delete for AWS::EC2::RouteTable, Route, InternetGateway,
VPCGatewayAttachment, SubnetRouteTableAssociation, VPCEndpoint, NatGateway and EIP: deleting the
stack silently leaves them in place. The VPC then cannot be deleted ("has dependencies"), so
every stack with a VPC fails to delete, and the gateways, endpoints and addresses stay behind.

Fix: each of these resources deletes what it created, the way the EC2 API does (an attachment
detaches its gateway; an association, route or endpoint whose route table is already gone counts
as deleted). Deleting the VPC itself is moto's own code, which now finds nothing in its way.
"""

from __future__ import annotations

from typing import Any

from moto.ec2.models import EC2Backend, ec2_backends
from moto.ec2.models.elastic_ip_addresses import ElasticAddress
from moto.ec2.models.internet_gateways import InternetGateway
from moto.ec2.models.nat_gateways import NatGateway
from moto.ec2.models.route_tables import Route, RouteTable
from moto.ec2.models.subnets import SubnetRouteTableAssociation
from moto.ec2.models.vpcs import VPCEndPoint
from moto.ec2.models.vpn_gateway import VPCGatewayAttachment

from . import MissingTarget, require


def _ec2(account_id: str, region_name: str) -> Any:
    return ec2_backends[account_id][region_name]


def delete_route_table(self: RouteTable, account_id: str, region_name: str) -> None:
    _ec2(account_id, region_name).delete_route_table(self.id)


def delete_route(self: Route, account_id: str, region_name: str) -> None:
    table = _ec2(account_id, region_name).route_tables.get(self.route_table.id)
    if table is not None:
        table._routes.pop(self.id, None)


def delete_internet_gateway(self: InternetGateway, account_id: str, region_name: str) -> None:
    _ec2(account_id, region_name).delete_internet_gateway(self.id)


def delete_gateway_attachment(self: VPCGatewayAttachment, account_id: str, region_name: str) -> None:
    ec2 = _ec2(account_id, region_name)
    gateway = ec2.internet_gateways.get(self.gateway_id)
    if gateway is not None and gateway.vpc is not None and gateway.vpc.id == self.vpc_id:
        ec2.detach_internet_gateway(self.gateway_id, self.vpc_id)
    elif self.gateway_id in getattr(ec2, "vpn_gateways", {}):
        ec2.detach_vpn_gateway(self.gateway_id, self.vpc_id)


def delete_subnet_association(self: SubnetRouteTableAssociation, account_id: str, region_name: str) -> None:
    ec2 = _ec2(account_id, region_name)
    ec2.subnet_associations.pop(f"{self.route_table_id}:{self.subnet_id}", None)
    table = ec2.route_tables.get(self.route_table_id)
    if table is not None:
        for association_id, target in list(table._associations.items()):
            if target == self.subnet_id:
                del table._associations[association_id]


def delete_vpc_endpoint(self: VPCEndPoint, account_id: str, region_name: str) -> None:
    ec2 = _ec2(account_id, region_name)
    # A gateway endpoint removes its route from each table; a table deleted first took it along.
    for table_id in self.route_table_ids or []:
        table = ec2.route_tables.get(table_id)
        if table is not None and self.destination_prefix_list_id:
            table._routes.pop(f"{table_id}~{self.destination_prefix_list_id}", None)
    self.route_table_ids = []
    ec2.delete_vpc_endpoints([self.id])


def delete_nat_gateway(self: NatGateway, account_id: str, region_name: str) -> None:
    ec2 = _ec2(account_id, region_name)
    for address in ec2.addresses:
        if address.eni is self._eni:
            ec2.disassociate_address(address=address.public_ip)
    ec2.enis.pop(self._eni.id, None)
    ec2.delete_nat_gateway(self.id)


def delete_address(self: ElasticAddress, account_id: str, region_name: str) -> None:
    ec2 = _ec2(account_id, region_name)
    if self in ec2.addresses:
        ec2.release_address(address=self.public_ip)


DELETES = {
    RouteTable: delete_route_table,
    Route: delete_route,
    InternetGateway: delete_internet_gateway,
    VPCGatewayAttachment: delete_gateway_attachment,
    SubnetRouteTableAssociation: delete_subnet_association,
    VPCEndPoint: delete_vpc_endpoint,
    NatGateway: delete_nat_gateway,
    ElasticAddress: delete_address,
}


def apply() -> None:
    # CloudFormation's ResourceMap calls `resource.delete(account_id, region_name)` when it exists.
    taken = [cls.__name__ for cls in DELETES if hasattr(cls, "delete")]
    if taken:
        raise MissingTarget(f"{', '.join(taken)} already defines delete()")
    require(
        (EC2Backend, "delete_route_table"),
        (EC2Backend, "delete_internet_gateway"),
        (EC2Backend, "detach_internet_gateway"),
        (EC2Backend, "delete_vpc_endpoints"),
        (EC2Backend, "delete_nat_gateway"),
        (EC2Backend, "release_address"),
    )
    for cls, delete in DELETES.items():
        cls.delete = delete
