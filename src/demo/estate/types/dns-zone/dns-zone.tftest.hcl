run "zone_id_matches_the_contract" {
  command = plan

  assert {
    condition     = can(regex("^Z[0-9A-F]{12}$", output.zone_id))
    error_message = "zone_id must be Z<12 hex>, as types/dns-zone/outputs.schema.json promises"
  }
}
