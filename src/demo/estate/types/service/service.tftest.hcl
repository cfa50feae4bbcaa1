# `karma test service/*`: network_id arrives resolved from the network's contract example (or a
# real runtime with --with-runtime / --against candidate). When the network contract stops
# publishing a net-… network_id, this test fails: the consumer's expectation of its producer.
run "takes_a_network_id_from_the_network_contract" {
  command = plan

  assert {
    condition     = can(regex("^net-[0-9a-f]{12}$", var.config.network_id))
    error_message = "service needs network_id from network/<nickname>#/network_id (net-<12 hex>)"
  }

  assert {
    condition     = terraform_data.service.input.network_id == var.config.network_id
    error_message = "the service manifest must record its network"
  }
}

run "url_matches_the_contract" {
  command = plan

  assert {
    condition     = terraform_data.service.input.url == "http://127.0.0.1:${var.config.port}"
    error_message = "url must be http://127.0.0.1:<port>, as types/service/outputs.schema.json promises"
  }
}
