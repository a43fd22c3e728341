"""Uploading the built dataset to a triple store through the SPARQL 1.1 Graph Store HTTP Protocol.

``plan`` decides what is sent (one request per named graph, N-Triples bodies taken from the one
loader's store); ``transport`` sends it (authentication, errors a user can act on). The command
``sckg push`` (sckg.commands.push) ties them together and prints progress.
"""
