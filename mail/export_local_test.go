package mail

// SetBeforeRename lets a test look at the mail folder while an email is still a temp file.
func (s *LocalSender) SetBeforeRename(fn func(tmpPath string)) { s.beforeRename = fn }
