// Copyright 2024 Ada Example
module.exports = require("@acme/core");
