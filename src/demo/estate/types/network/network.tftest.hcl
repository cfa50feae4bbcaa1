# `karma test network/main`: Karma passes the component's config as a var file; nothing is deployed
# (plan only: terraform_data needs no provider, so no mock is needed here).
run "network_id_matches_the_contract" {
  command = plan

  assert {
    condition     = can(regex("^net-[0-9a-f]{12}$", terraform_data.network.input.network_id))
    error_message = "network_id must be net-<12 hex>, as types/network/outputs.schema.json promises"
  }

  assert {
    condition     = terraform_data.network.input.cidr == var.config.cidr
    error_message = "the network must be created with the configured cidr"
  }
}
