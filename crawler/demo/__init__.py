"""The bundled demo: three fictional GLAM sites in two versions, served on 127.0.0.1."""
