"""The resource types upstream OpenStack Heat registers, so that anything else can be told apart.

``OS::`` proves nothing: vendors ship ``OS::Nova::VenafiCertificate`` and ``OS::Contrail::*``, and an
environment can map any name. This table is what ``resource_mapping()`` returns across
``heat/engine/resources/{aws,openstack}/**`` in openstack/heat (extracted from the openstack-heat
27.0.1 source release, 2026), plus the aliases Heat's own default environment
(``etc/heat/environment.d/default.yaml``) maps and types earlier releases registered, so that old
templates (``heat_template_version: 2013-05-23``) are not called unknown.

References:
- https://opendev.org/openstack/heat/src/branch/master/heat/engine/resources/openstack
- https://opendev.org/openstack/heat/src/branch/master/heat/engine/resources/aws
- https://opendev.org/openstack/heat/src/branch/master/etc/heat/environment.d/default.yaml
- https://opendev.org/openstack/heat/src/branch/master/heat/engine/environment.py (which names are
  templates: ``ResourceInfo.__new__``; glob keys ``"OS::Quantum*"``)
- https://docs.openstack.org/heat/latest/template_guide/openstack.html
"""

#: ``resource_mapping()`` of every module under heat/engine/resources, by folder.
REGISTERED = frozenset({
    # heat/engine/resources/aws/
    "AWS::AutoScaling::AutoScalingGroup", "AWS::AutoScaling::LaunchConfiguration",
    "AWS::AutoScaling::ScalingPolicy", "AWS::CloudFormation::Stack",
    "AWS::CloudFormation::WaitCondition", "AWS::CloudFormation::WaitConditionHandle",
    "AWS::EC2::EIP", "AWS::EC2::EIPAssociation", "AWS::EC2::Instance", "AWS::EC2::InternetGateway",
    "AWS::EC2::NetworkInterface", "AWS::EC2::RouteTable", "AWS::EC2::SecurityGroup",
    "AWS::EC2::Subnet", "AWS::EC2::SubnetRouteTableAssociation", "AWS::EC2::VPC",
    "AWS::EC2::VPCGatewayAttachment", "AWS::EC2::Volume", "AWS::EC2::VolumeAttachment",
    "AWS::ElasticLoadBalancing::LoadBalancer", "AWS::IAM::AccessKey", "AWS::IAM::User",
    "AWS::S3::Bucket",
    # heat/engine/resources/openstack/aodh/
    "OS::Aodh::Alarm", "OS::Aodh::CombinationAlarm", "OS::Aodh::CompositeAlarm",
    "OS::Aodh::EventAlarm", "OS::Aodh::GnocchiAggregationByMetricsAlarm",
    "OS::Aodh::GnocchiAggregationByResourcesAlarm", "OS::Aodh::GnocchiResourcesAlarm",
    "OS::Aodh::LBMemberHealthAlarm", "OS::Aodh::PrometheusAlarm",
    # heat/engine/resources/openstack/barbican/
    "OS::Barbican::CertificateContainer", "OS::Barbican::GenericContainer", "OS::Barbican::Order",
    "OS::Barbican::RSAContainer", "OS::Barbican::Secret",
    # heat/engine/resources/openstack/blazar/
    "OS::Blazar::Host", "OS::Blazar::Lease",
    # heat/engine/resources/openstack/cinder/
    "OS::Cinder::EncryptedVolumeType", "OS::Cinder::QoSAssociation", "OS::Cinder::QoSSpecs",
    "OS::Cinder::Quota", "OS::Cinder::Volume", "OS::Cinder::VolumeAttachment",
    "OS::Cinder::VolumeType",
    # heat/engine/resources/openstack/designate/
    "OS::Designate::Domain", "OS::Designate::Record", "OS::Designate::RecordSet",
    "OS::Designate::Zone",
    # heat/engine/resources/openstack/glance/
    "OS::Glance::Image", "OS::Glance::WebImage",
    # heat/engine/resources/openstack/heat/
    "OS::Heat::AccessPolicy", "OS::Heat::AutoScalingGroup", "OS::Heat::CloudConfig",
    "OS::Heat::Delay", "OS::Heat::DeployedServer", "OS::Heat::HARestarter",
    "OS::Heat::InstanceGroup", "OS::Heat::MultipartMime", "OS::Heat::None",
    "OS::Heat::RandomString", "OS::Heat::ResourceChain", "OS::Heat::ResourceGroup",
    "OS::Heat::ScalingPolicy", "OS::Heat::SoftwareComponent", "OS::Heat::SoftwareConfig",
    "OS::Heat::SoftwareDeployment", "OS::Heat::SoftwareDeploymentGroup",
    "OS::Heat::SoftwareDeployments", "OS::Heat::Stack", "OS::Heat::StructuredConfig",
    "OS::Heat::StructuredDeployment", "OS::Heat::StructuredDeploymentGroup",
    "OS::Heat::StructuredDeployments", "OS::Heat::SwiftSignal", "OS::Heat::SwiftSignalHandle",
    "OS::Heat::TestResource", "OS::Heat::UpdateWaitConditionHandle", "OS::Heat::Value",
    "OS::Heat::WaitCondition", "OS::Heat::WaitConditionHandle",
    # heat/engine/resources/openstack/ironic/
    "OS::Ironic::Port",
    # heat/engine/resources/openstack/keystone/
    "OS::Keystone::Domain", "OS::Keystone::Endpoint", "OS::Keystone::Group",
    "OS::Keystone::GroupRoleAssignment", "OS::Keystone::Project", "OS::Keystone::Region",
    "OS::Keystone::Role", "OS::Keystone::Service", "OS::Keystone::User",
    "OS::Keystone::UserRoleAssignment",
    # heat/engine/resources/openstack/magnum/
    "OS::Magnum::Bay", "OS::Magnum::BayModel", "OS::Magnum::Cluster", "OS::Magnum::ClusterTemplate",
    # heat/engine/resources/openstack/manila/
    "OS::Manila::SecurityService", "OS::Manila::Share", "OS::Manila::ShareNetwork",
    "OS::Manila::ShareType",
    # heat/engine/resources/openstack/mistral/
    "OS::Mistral::CronTrigger", "OS::Mistral::ExternalResource", "OS::Mistral::Workflow",
    # heat/engine/resources/openstack/monasca/
    "OS::Monasca::AlarmDefinition", "OS::Monasca::Notification",
    # heat/engine/resources/openstack/neutron/
    "OS::Neutron::AddressScope", "OS::Neutron::ExtraRoute", "OS::Neutron::ExtraRouteSet",
    "OS::Neutron::Firewall", "OS::Neutron::FirewallPolicy", "OS::Neutron::FirewallRule",
    "OS::Neutron::FloatingIP", "OS::Neutron::FloatingIPAssociation",
    "OS::Neutron::FloatingIPPortForward", "OS::Neutron::FlowClassifier",
    "OS::Neutron::HealthMonitor", "OS::Neutron::IKEPolicy", "OS::Neutron::IPsecPolicy",
    "OS::Neutron::IPsecSiteConnection", "OS::Neutron::L2Gateway",
    "OS::Neutron::L2GatewayConnection", "OS::Neutron::LBaaS::HealthMonitor",
    "OS::Neutron::LBaaS::L7Policy", "OS::Neutron::LBaaS::L7Rule", "OS::Neutron::LBaaS::Listener",
    "OS::Neutron::LBaaS::LoadBalancer", "OS::Neutron::LBaaS::Pool",
    "OS::Neutron::LBaaS::PoolMember", "OS::Neutron::LoadBalancer", "OS::Neutron::MeteringLabel",
    "OS::Neutron::MeteringRule", "OS::Neutron::Net", "OS::Neutron::NetworkGateway",
    "OS::Neutron::Pool", "OS::Neutron::PoolMember", "OS::Neutron::Port", "OS::Neutron::PortChain",
    "OS::Neutron::PortPair", "OS::Neutron::PortPairGroup", "OS::Neutron::ProviderNet",
    "OS::Neutron::QoSBandwidthLimitRule", "OS::Neutron::QoSDscpMarkingRule",
    "OS::Neutron::QoSMinimumBandwidthRule", "OS::Neutron::QoSMinimumPacketRateRule",
    "OS::Neutron::QoSPolicy", "OS::Neutron::Quota", "OS::Neutron::RBACPolicy",
    "OS::Neutron::Router", "OS::Neutron::RouterGateway", "OS::Neutron::RouterInterface",
    "OS::Neutron::SecurityGroup", "OS::Neutron::SecurityGroupRule", "OS::Neutron::Segment",
    "OS::Neutron::Subnet", "OS::Neutron::SubnetPool", "OS::Neutron::TaaS::TapFlow",
    "OS::Neutron::TaaS::TapService", "OS::Neutron::Trunk", "OS::Neutron::VPNService",
    # heat/engine/resources/openstack/nova/
    "OS::Nova::Flavor", "OS::Nova::FloatingIP", "OS::Nova::FloatingIPAssociation",
    "OS::Nova::HostAggregate", "OS::Nova::KeyPair", "OS::Nova::Quota", "OS::Nova::Server",
    "OS::Nova::ServerGroup",
    # heat/engine/resources/openstack/octavia/
    "OS::Octavia::AvailabilityZone", "OS::Octavia::AvailabilityZoneProfile", "OS::Octavia::Flavor",
    "OS::Octavia::FlavorProfile", "OS::Octavia::HealthMonitor", "OS::Octavia::L7Policy",
    "OS::Octavia::L7Rule", "OS::Octavia::Listener", "OS::Octavia::LoadBalancer",
    "OS::Octavia::Pool", "OS::Octavia::PoolMember", "OS::Octavia::Quota",
    # heat/engine/resources/openstack/sahara/
    "OS::Sahara::Cluster", "OS::Sahara::ClusterTemplate", "OS::Sahara::DataSource",
    "OS::Sahara::ImageRegistry", "OS::Sahara::Job", "OS::Sahara::JobBinary",
    "OS::Sahara::NodeGroupTemplate",
    # heat/engine/resources/openstack/senlin/
    "OS::Senlin::Cluster", "OS::Senlin::Node", "OS::Senlin::Policy", "OS::Senlin::Profile",
    "OS::Senlin::Receiver",
    # heat/engine/resources/openstack/swift/
    "OS::Swift::Container",
    # heat/engine/resources/openstack/trove/
    "OS::Trove::Cluster", "OS::Trove::Instance",
    # heat/engine/resources/openstack/vitrage/
    "OS::Vitrage::Template",
    # heat/engine/resources/openstack/zaqar/
    "OS::Zaqar::MistralTrigger", "OS::Zaqar::Queue", "OS::Zaqar::SignedQueueURL",
    "OS::Zaqar::Subscription",
    # heat/engine/resources/openstack/zun/
    "OS::Zun::Container",
})

#: Names Heat's default environment maps to registered types or to templates it ships.
DEFAULT_ENVIRONMENT = frozenset({
    "AWS::CloudWatch::Alarm", "AWS::RDS::DBInstance", "OS::Metering::Alarm",
    "OS::Ceilometer::Alarm", "OS::Ceilometer::CombinationAlarm",
    "OS::Ceilometer::GnocchiAggregationByMetricsAlarm",
    "OS::Ceilometer::GnocchiAggregationByResourcesAlarm", "OS::Ceilometer::GnocchiResourcesAlarm",
})
#: Glob keys of the default environment (``"OS::Quantum*": "OS::Neutron*"``): any name with the prefix.
DEFAULT_ENVIRONMENT_GLOBS = ("OS::Quantum",)

#: Registered by earlier releases and since removed (``resource_mapping()`` of the former
#: heat/engine/resources/cloud_watch.py), or registered by Heat itself at run time for the members of
#: an instance group (heat/engine/resources/openstack/heat/instance_group.py).
FORMERLY_REGISTERED = frozenset({"OS::Heat::CWLiteAlarm", "OS::Heat::ScaledResource"})

#: Suffixes Heat reads as a template resource (environment.py); ``.yml`` is added because users write
#: it and the type is then a file reference, never a plugin.
TEMPLATE_SUFFIXES = (".yaml", ".yml", ".template")


def is_upstream(resource_type: str) -> bool:
    return (resource_type in REGISTERED or resource_type in DEFAULT_ENVIRONMENT
            or resource_type in FORMERLY_REGISTERED or resource_type.startswith(DEFAULT_ENVIRONMENT_GLOBS))


def is_template_reference(resource_type: str) -> bool:
    """A provider/nested template named by path or URL rather than a registered type."""
    return resource_type.endswith(TEMPLATE_SUFFIXES) or "/" in resource_type
