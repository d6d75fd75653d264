import pytest

from tests.conftest import where

TEMPLATE = """\
heat_template_version: 2018-08-31
resources:
  r:
    type: {type}
"""


@pytest.mark.parametrize("kind, expected", [
    ("OS::Acme::Widget", [(4, 11)]),            # unknown: a plugin or an alias defined elsewhere
    ("OS::Nova::VenafiCertificateX", [(4, 11)]),
    ("Nuage::Neutron::Gateway", [(4, 11)]),
    ("OS::Nova::Server", []),                    # registered by heat/engine/resources/openstack/nova
    ("AWS::EC2::Instance", []),                  # registered by heat/engine/resources/aws
    ("OS::Ceilometer::Alarm", []),               # mapped by Heat's default environment
    ("OS::Quantum::Net", []),                    # default environment glob OS::Quantum*
    ("OS::Heat::CWLiteAlarm", []),               # registered by earlier releases
    ("nested/server.yaml", []),                  # template resources
    ("lib.template", []),
    ("https://example.org/x", []),
    ("OS::Contrail::VirtualNetwork", []),        # LH101 reports it
    ("Rackspace::Cloud::Server", []),            # LH102
    ("OS::Nova::VenafiCertificate", []),         # LH105
    ("OS::TripleO::Services::Foo", []),          # tripleo aliases (Jinja-rendered registry)
])
def test_lh106(lint, kind, expected):
    assert [(line, col) for _, line, col in where(lint(TEMPLATE.format(type=kind)), "LH106")] == expected


def test_level_and_vendor_attribution(lint):
    result = lint(TEMPLATE.format(type="Nuage::Neutron::Gateway") + "  s:\n    type: OS::Acme::Widget\n")
    found = [(f.level.name, f.vendor) for f in result.findings if f.rule.id == "LH106"]
    # soft (weak evidence): the default profile, balanced, raises soft coupling to a warning
    assert found == [("warning", "nokia"), ("warning", "other")]


def test_alias_mapped_by_an_environment_in_the_scan(tmp_path):
    from lintra.pipeline import run

    (tmp_path / "t.yaml").write_text(TEMPLATE.format(type="My::Server") + "  s:\n    type: Glob::Thing\n"
                                     "  t:\n    type: Per::Resource\n")
    assert len([f for f in run([str(tmp_path)]).findings if f.rule.id == "LH106"]) == 3
    (tmp_path / "env.yaml").write_text("resource_registry:\n  My::Server: OS::Nova::Server\n"
                                       "  Glob::*: OS::Heat::None\n  resources:\n    t:\n"
                                       "      Per::Resource: x.yaml\n")
    assert [f for f in run([str(tmp_path)]).findings if f.rule.id == "LH106"] == []


def test_cloudformation_types(lint):
    text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A:\n    Type: AWS::Lambda::Function\n" \
           "  B:\n    Type: AWS::EC2::Instance\n"
    assert [(line, col) for _, line, col in where(lint(text), "LH106")] == [(4, 11)]


def test_corpus_reports_no_alias_or_upstream_type(corpus_result):
    assert [f for f in corpus_result.findings if f.rule.id == "LH106"] == []
