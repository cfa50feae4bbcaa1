run "stores_the_database_under_its_directory" {
  command = plan

  assert {
    condition     = endswith(terraform_data.database.input.path, "/${var.nickname}.db")
    error_message = "the database file must be <nickname>.db"
  }

  assert {
    condition     = terraform_data.database.input.engine == var.config.engine
    error_message = "engine must come from the config"
  }
}
