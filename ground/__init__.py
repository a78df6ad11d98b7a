"""The ground floor every layer stands on: the plan's catalogue, month arithmetic, the status scale, Vietnamese
number formats, text folding, and accounts' roles and password hashes. Imports nothing of the project above it."""
