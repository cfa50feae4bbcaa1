run "bucket_named_from_config" {
  command = plan

  assert {
    condition     = terraform_data.bucket.input.bucket_name == var.config.bucket_name
    error_message = "bucket_name must come from the config"
  }
}
