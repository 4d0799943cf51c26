/* a header directly in core/ */
