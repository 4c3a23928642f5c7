# Copyright 2023 Bracket Works Inc.

PAGE = "[bold]not markup[/bold]"
