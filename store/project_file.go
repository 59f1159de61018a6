package store

import (
	"context"
	"encoding/json"
	"errors"
)

// keepProjectFile keeps the BOM file a project's bomData names (`bomData.fileId`) for as long
// as the project lives: without it the sweep would delete the file 24 h after its upload,
// and a reopened project would link a file that is gone. Only the caller's own upload can
// be named; anything else is a 400 on bomData.fileId and nothing is saved.
func keepProjectFile(ctx context.Context, tx *Tx, userID, projectID string, bomData json.RawMessage) error {
	var ref struct {
		FileID *string `json:"fileId"`
	}
	if len(bomData) == 0 || bomData[0] != '{' || json.Unmarshal(bomData, &ref) != nil || ref.FileID == nil {
		return nil
	}
	err := KeepUploadInProject(ctx, tx, userID, *ref.FileID, projectID)
	if errors.Is(err, errUploadNotFound) {
		var v Validator
		v.Add("bomData.fileId", "Fișierul indicat nu există sau nu este al tău.", "The file does not exist or is not yours.")
		return v.Err()
	}
	return err
}
